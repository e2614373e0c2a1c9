/**
 * Small fixed word lists the tokenizer and the person rules rely on. All entries are folded
 * (lower case, no accents, no dots).
 */

function set(words: string): ReadonlySet<string> {
  return new Set(words.split(/\s+/).filter((word) => word.length > 0));
}

/**
 * Titles and honorifics that qualify a surname: `Mr. Kelly`, `President Reagan`,
 * `Treasury Secretary Baker`, `Gen. Kelly`.
 */
export const TITLES = set(`
  mr mrs ms miss mx dr sir dame lord lady madam madame mme mlle monsieur senor senora herr frau
  president premier chancellor secretary minister chairman chairwoman chairperson chair ceo
  governor gov senator sen representative rep congressman congresswoman mayor judge justice
  ambassador commissioner director speaker leader king queen prince princess emperor empress
  pope cardinal archbishop bishop rabbi imam sheikh ayatollah rev reverend father pastor
  professor prof general gen admiral adm colonel col major maj captain capt lieutenant lt
  sergeant sgt commander cmdr marshal detective inspector chief treasurer spokesman
  spokeswoman spokesperson sheriff
`);

/** Plural titles that qualify every surname of a list: `Messrs. Kelly and Tillerson`. */
export const PLURAL_TITLES = set(`
  messrs mmes mesdames drs profs sens reps govs presidents senators ministers secretaries
  governors judges justices generals
`);

/** Words before `of` in a title such as `Secretary of State Tillerson`. */
export const TITLE_HEADS = set('secretary minister ministers secretaries chancellor governor director');

/**
 * Words followed by a period that do not end a sentence (besides titles, single-letter initials
 * and dotted acronyms such as `U.S.`).
 */
export const ABBREVIATIONS = set(`
  st jr sr inc corp co ltd plc vs etc approx est dept univ assn bros ave blvd fig
  jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
`);

/** Capitalised words that may follow a person's name without making it a company or place name. */
export const AFTER_NAME_OK = set(`
  monday tuesday wednesday thursday friday saturday sunday
  january february march april may june july august september october november december
  jan feb mar apr jun jul aug sep sept oct nov dec
  jr sr ii iii iv esq phd
  i
`);

/**
 * Capitalised words that are not given names although they may stand right before a surname
 * (`When Kelly spoke`, `But Baker said`): pronouns, articles, conjunctions, prepositions, common
 * sentence openers, and calendar words.
 */
export const NOT_GIVEN_NAMES = set(`
  the a an and or but nor if when while as at in on for from to with by of after before since
  although though because however meanwhile also then so yet this that these those it he she
  they we i you his her their our my its there here where why how what who whom whose which both
  each every all some many most other another such no not only even still now today yesterday
  tomorrow tonight last next earlier later said says asked told under over against between among
  during despite without within than via per like unlike including did does do was were is are
  has have had will would can could should may might must shall let once until unless whether
  whereas thus hence indeed instead rather perhaps maybe about above below across along around
  into onto upon toward towards through throughout beyond near dear hello thanks please
  monday tuesday wednesday thursday friday saturday sunday
  january february march april june july august september october november december
`);

/**
 * Very frequent English and newswire words, most frequent first. The anchor picker avoids them:
 * a subscription anchored on `said` would be evaluated for nearly every story.
 */
export const COMMON_WORDS: readonly string[] = `
  the of to and a in that is for on it with said as was he be at by from his has have an are
  but not this its which had were they will would been or who their year more also after new
  one about than up last two over other first percent pct mln billion million dlrs us it's
  i she her we you could out some into there when can all no may time share shares company
  market prices price government if officials official years week people state president
  three told say says them only such because most made any while many now per cent bank trade
  before first group expected since him what so between world under rate rates sales against
  four well against back still day five report told minister foreign next down like through
  end early later month months country countries news both during national today tonight off
  high higher lower loss profit net income quarter stock stocks financial economic economy
  oil told set help ago however just even our my me do did does get got make makes way ways
  where how why which whose
`
  .split(/\s+/)
  .filter((word) => word.length > 0);

/** Words of an office after `of`: `Secretary of State`, `Minister of the Interior`. */
export const OFFICE_WORDS = set(`
  the state defense defence treasury commerce labor labour energy interior agriculture education
  health transportation transport justice homeland security finance foreign affairs economy trade
  war navy army housing veterans culture environment industry
`);
