import { pipelineSection } from './pipeline.ts';

console.log(await pipelineSection.run());
process.exit(0);
