import { App } from 'aws-cdk-lib';
import { buildReferenceApp } from './reference-app';

// `cdk synth|deploy -c env=NAME`: the environment comes from the context, the account and
// region from the caller's credentials (or the offline defaults without any).
const app = new App();
buildReferenceApp(app);
app.synth();
