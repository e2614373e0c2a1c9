/**
 * Name data for the person rules (see ../README.md, "People"). Small on purpose: each list only
 * has to decide a question the rules ask, not to be a census. All entries are folded (lower
 * case, no accents).
 */

function set(words: string): ReadonlySet<string> {
  return new Set(words.split(/\s+/).filter((word) => word.length > 0));
}

/**
 * Surname particles: lower case in running text (`Ursula von der Leyen`), capitalised at a
 * sentence start or in a headline. A query word from this list starts the surname.
 */
export const PARTICLES = set(`
  de du da das dos di del della delle dei van von der den ter ten le la les zu
  bin bint ibn al el ben abu ould
`);

/** Particles that AP style drops on second reference: `Bashar al-Assad` -> `Mr. Assad`, `ASSAD VOWS`. */
export const DROPPABLE_PARTICLES = set('al el');

/** Honorifics that say the person is a man (`Mr. Trump` is not Melania Trump). */
export const MALE_TITLES = set(`
  mr messrs sir lord monsieur senor herr signor king prince emperor father brother sheikh
  emir duke count baron
`);

/** Honorifics that say the person is a woman (`Mrs. Clinton` is not Bill Clinton). */
export const FEMALE_TITLES = set(`
  mrs ms miss mmes mesdames dame lady madam madame mme mlle senora sra frau signora queen
  princess empress sister sheikha duchess countess baroness
`);

/** Titles used with the given name rather than the surname: `Prince Mohammed`, `Sir Elton`, `Dame Judi`. */
export const GIVEN_NAME_TITLES = set('sir dame prince princess king queen sheikh sheikha emir crown');

/**
 * Given names, by the gender they usually carry. They decide where a query name's given names
 * end (`Andrés Manuel | López Obrador`, but `Ruth | Bader Ginsburg`) and which honorifics fit.
 * A name missing here is treated as part of the surname, which still matches every reference
 * the story can make (see the README); write `Surname, Given names` when that is wrong.
 */
export const MALE_GIVEN_NAMES = set(`
  john james robert michael william david richard joseph thomas charles christopher daniel paul
  mark donald george kenneth steven edward brian ronald anthony kevin jason matthew gary timothy
  jose larry jeffrey frank scott eric stephen andrew raymond gregory joshua jerry dennis walter
  patrick peter harold douglas henry carl arthur ryan roger joe juan jack albert jonathan justin
  terry gerald keith samuel willie ralph lawrence nicholas roy benjamin bruce brandon adam harry
  fred wayne billy steve louis jeremy aaron randy howard eugene carlos russell bobby victor martin
  ernest phillip todd jesse craig alan shawn clarence sean philip chris johnny earl jimmy antonio
  bill barack rex alexander alex hans jean pierre jacques francois michel luis manuel andres
  miguel pedro luiz inacio enrique felipe fernando jorge ricardo sergio vladimir dmitry mikhail
  boris nikolai ivan igor helmut gerhard wolfgang karl otto friedrich heinrich jurgen giovanni
  giuseppe mario silvio romano matteo emmanuel francois nicolas recep ahmed ahmad mohammed
  mohammad muhammad mohamed ali hassan hussein omar abdullah abdul khalid saud faisal bashar
  hafez yasser hosni anwar benjamin shimon yitzhak ariel ehud narendra rajiv manmohan shinzo
  yoshihide fumio junichiro lee elton nelson jacob thabo cyril kofi olusegun muhammadu jair
  hugo nicolas evo rafael alvaro abdel recep kemal vicente jimmy gordon tony boris keir rishi
  justin pierre stephen brian jean claude xavier leo
`);

export const FEMALE_GIVEN_NAMES = set(`
  mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy lisa betty
  margaret sandra ashley kimberly emily donna michelle dorothy carol amanda melissa deborah
  stephanie rebecca sharon laura cynthia kathleen amy shirley angela helen anna brenda pamela
  nicole emma samantha katherine christine debra rachel catherine carolyn janet ruth maria
  heather diane virginia julie joyce victoria olivia kelly christina lauren joan evelyn judith
  megan cheryl andrea hannah martha jacqueline frances gloria ann teresa kathryn sara janice
  jean alice madison doris abigail julia judy grace denise amber marilyn beverly danielle
  theresa sophia marie diana brittany natalie isabella charlotte rose alexis kayla hillary
  melania michelle ursula angela theresa margaret indira benazir golda corazon gloria cristina
  dilma michelle jacinda sanna judi elena christine kamala nancy nikki ilhan alexandria sonia
  yulia giorgia marine segolene aung suu
`);

/**
 * Given names of the traditions with two surnames (Spanish, Portuguese): after them a surname of
 * two words is one surname (`Miguel Osorio Chong` is never `Mr. Chong`), while after other given
 * names the last word may stand alone (`Ruth Bader Ginsburg` -> `Justice Ginsburg`).
 */
export const DOUBLE_SURNAME_GIVEN_NAMES = set(`
  jose juan luis carlos manuel andres miguel pedro enrique felipe fernando jorge ricardo sergio
  antonio francisco javier alejandro rafael alvaro vicente hugo evo luiz inacio joao paulo
  gabriel raul ernesto mauricio alberto eduardo gustavo marcelo ana lucia carmen rosa isabel
  cristina dilma maria
`);

/**
 * Common surnames of the traditions that write the surname first (Chinese, Korean, Vietnamese):
 * a query starting with one of them is also read surname first (`Xi Jinping` -> `President Xi`).
 * Japanese and Hungarian names are matched in either order without a list (`Abe Shinzo`).
 */
export const SURNAME_FIRST_SURNAMES = set(`
  xi li wang zhang liu chen yang zhao huang zhou wu xu sun hu zhu gao lin he guo ma luo liang
  song zheng xie han tang feng yu dong xiao cheng cao yuan deng jiang cai pan du ye wei lu peng
  su jia ding wen kim lee park choi chung jung kang cho yoon yun jang lim moon han shin kwon
  hwang ahn song roh nguyen tran le pham hoang phan vu vo dang bui do ho ngo duong ly
`);

/**
 * Capitalised words that make the name before them a place, a building or an award: `Kennedy
 * Airport`, `Martin Luther King Jr. Drive`, `Nobel Prize`.
 */
export const PLACE_WORDS = set(`
  airport street st drive dr avenue ave boulevard blvd road rd lane square plaza bridge station
  center centre stadium arena park university college school hospital foundation institute
  memorial library museum highway expressway freeway tunnel dam building tower hall field
  prize award trophy cup doctrine
`);

/** Place words that count in lower case too (`Charles de Gaulle airport`); the others may be verbs. */
export const PLACE_WORDS_ANY_CASE = set(`
  airport street avenue boulevard highway expressway freeway stadium university
`);
