import { App, Stack } from 'aws-cdk-lib';
import { Network } from '@s3www-eks/network';

const app = new App();
const stack = new Stack(app, 's3www-eks-dev');
new Network(stack, 'Network', { maxAzs: 2 });
app.synth();
