// jest globalSetup: one temporary folder per test run, removed by run-scratch-teardown.js.
//
// TMPDIR points into it before jest starts its workers, so every os.tmpdir() in a test, in the
// libraries under test (a CDK or cdk8s app without an outdir) and in the tools the tests start
// lands there. A finished run leaves nothing behind in the machine's /tmp.
const { mkdtempSync } = require('fs');
const { tmpdir } = require('os');
const { join } = require('path');

module.exports = function createRunScratch() {
  const scratch = mkdtempSync(join(tmpdir(), 's3www-eks-jest-'));
  process.env.S3WWW_EKS_JEST_SCRATCH = scratch;
  // Restored by the teardown: StrykerJS runs jest many times in one process.
  process.env.S3WWW_EKS_JEST_TMPDIR_BEFORE = process.env.TMPDIR ?? '';
  process.env.TMPDIR = scratch;
};
