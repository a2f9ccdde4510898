// jest globalTeardown: removes the run's temporary folder made by run-scratch-setup.js.
const { rmSync } = require('fs');

module.exports = function removeRunScratch() {
  const scratch = process.env.S3WWW_EKS_JEST_SCRATCH;
  if (scratch) rmSync(scratch, { recursive: true, force: true });
};
