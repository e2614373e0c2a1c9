/**
 * The CDK app (`npm run synth`, `npx cdk deploy --all`). Settings come from context; see infra/settings.ts.
 * cdk-nag (AWS Solutions) runs as a validation plugin: an unacknowledged finding fails synth.
 */
import { App } from 'aws-cdk-lib';
import { SettingsError } from './settings.ts';
import { buildWirewatch } from './wirewatch.ts';

const app = new App();
try {
  buildWirewatch(app);
} catch (error) {
  if (!(error instanceof SettingsError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
app.synth();
