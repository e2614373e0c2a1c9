/**
 * Metadata filters: `subject:`, `place:`/`country:`, `lang:`, `source:`/`provider:`, `urgency:`, `status:`.
 * Text values (subject names and codes, the dateline and places, the source) match when they contain the
 * query's words in order (plurals folded as for keywords): `source:"Dow Jones"` matches
 * `Dow Jones Newswires`, `subject:medtop:20000763` the code. `lang:es` matches `es` and `es-MX`,
 * `lang:es-MX` only `es-MX`. What each format maps to each field: docs/story-envelope.md.
 */
import type { MetaNode } from '../query/ast.ts';
import type { StoryView } from '../story-view.ts';

function containsInOrder(stems: readonly string[], words: readonly string[]): boolean {
  for (let start = 0; start + words.length <= stems.length; start++) {
    let all = true;
    for (let k = 0; k < words.length && all; k++) all = stems[start + k] === words[k];
    if (all) return true;
  }
  return false;
}

/** What the filter matched, as the hit explains it (`subject: immigration`), or undefined. */
export function metadataMatch(view: StoryView, node: MetaNode): string | undefined {
  const cached = view.memo.get(node) as string | null | undefined;
  if (cached !== undefined) return cached ?? undefined;
  const result = evaluate(view, node);
  view.memo.set(node, result ?? null);
  return result;
}

function evaluate(view: StoryView, node: MetaNode): string | undefined {
  const { story, metadata } = view;
  switch (node.field) {
    case 'urgency': {
      const urgency = story.urgency;
      const inRange = urgency !== undefined && urgency >= (node.min ?? 1) && urgency <= (node.max ?? 9);
      return inRange ? `urgency: ${urgency}` : undefined;
    }
    case 'status':
      return story.status === node.words[0] ? `status: ${story.status}` : undefined;
    case 'lang':
      return metadata.languages.includes(node.words[0] ?? '') ? `lang: ${story.language}` : undefined;
    case 'subject':
    case 'place':
    case 'source': {
      const value = metadata.values[node.field].find((candidate) =>
        containsInOrder(candidate.stems, node.words),
      );
      return value === undefined ? undefined : `${node.field}: ${value.text}`;
    }
  }
}
