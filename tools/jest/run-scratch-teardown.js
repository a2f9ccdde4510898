// jest globalTeardown: removes the run's temporary folder made by run-scratch-setup.js.
const { rmSync } = require('fs');

module.exports = function removeRunScratch() {
  const scratch = process.env.S3WWW_EKS_JEST_SCRATCH;
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  // The next run in this process (StrykerJS runs jest once per mutant) starts from the TMPDIR before.
  const before = process.env.S3WWW_EKS_JEST_TMPDIR_BEFORE;
  if (before === '') delete process.env.TMPDIR;
  else if (before !== undefined) process.env.TMPDIR = before;
  delete process.env.S3WWW_EKS_JEST_TMPDIR_BEFORE;
  delete process.env.S3WWW_EKS_JEST_SCRATCH;
};
