/**
 * The bench sections `npm run bench` knows. To add one: write `bench/<name>.ts` exporting a
 * BenchSection and list it here. `npm run bench -- <name>` runs one section; no name runs all.
 */
import { changesSection } from './changes.ts';
import { compileSection } from './compile.ts';
import { digestsSection } from './digests.ts';
import { handlersSection } from './handlers.ts';
import { matchingSection } from './matching.ts';
import { peopleSection } from './people.ts';
import { pipelineSection } from './pipeline.ts';
import { sameNewsSection } from './same-news.ts';

export interface BenchSection {
  /** Short name used on the command line, e.g. `matching`. */
  readonly name: string;
  /** One line saying what is measured. */
  readonly description: string;
  /** Runs the measurements and returns Markdown (tables and notes) to print. Throws on a wrong result. */
  run(): Promise<string>;
}

export const SECTIONS: readonly BenchSection[] = [
  matchingSection,
  compileSection,
  peopleSection,
  changesSection,
  handlersSection,
  pipelineSection,
  sameNewsSection,
  digestsSection,
];
