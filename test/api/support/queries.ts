import type { CompileResult, Match, QuerySource } from '../../../functions/core/matching/types.ts';
import { QueryError } from '../../../functions/core/matching/types.ts';
import type { Story } from '../../../functions/core/stories/story.ts';

/**
 * A tiny stand-in for the query language, for router unit tests only: words joined by spaces must all occur
 * (case-insensitive) in headline or body; an unclosed double quote is an error at its position.
 */
export function testValidateQuery(query: string): QueryError | undefined {
  const quotes = [...query].flatMap((char, index) => (char === '"' ? [index] : []));
  if (quotes.length % 2 === 1)
    return new QueryError('Unclosed quote: add the closing ".', quotes.at(-1) ?? 0);
  if (query.trim().toUpperCase().endsWith(' AND')) {
    return new QueryError('AND needs a term after it.', query.trimEnd().length - 3);
  }
  return undefined;
}

export function testCompile(sources: readonly QuerySource[]): CompileResult {
  return {
    errors: [],
    index: {
      size: sources.length,
      match(story: Story): Match[] {
        const text = `${story.headline}\n${story.body}`.toLowerCase();
        return sources.flatMap((source) => {
          const words = source.query.toLowerCase().replaceAll('"', '').split(/\s+/).filter(Boolean);
          if (!words.every((word) => text.includes(word))) return [];
          const first = words[0] ?? '';
          const start = story.headline.toLowerCase().indexOf(first);
          return [
            {
              subscriptionId: source.id,
              hits: words.map((word) => ({
                term: word,
                field: 'headline' as const,
                start,
                end: start + word.length,
                text: word,
              })),
              snippet: {
                text: story.headline,
                highlights: start >= 0 ? [[start, start + first.length] as const] : [],
              },
            },
          ];
        });
      },
    },
  };
}
