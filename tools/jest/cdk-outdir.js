// jest setupFilesAfterEnv: one cloud assembly folder per test file, removed after the file.
//
// A CDK App without an outdir otherwise makes a new folder per App and copies every asset into
// it: the kubectl, awscli and proxy layers alone are 58 MB, so a package's tests wrote gigabytes.
// Sharing CDK_OUTDIR within a file lets the asset cache stage each asset once per file. Each
// synth rewrites the templates it reads back at once, so the tests of one file, which run one
// after another, never read another App's template.
const { mkdtempSync, rmSync } = require('fs');
const { tmpdir } = require('os');
const { join } = require('path');

const outdir = mkdtempSync(join(tmpdir(), 'cdk.out-'));
process.env.CDK_OUTDIR = outdir;

afterAll(() => rmSync(outdir, { recursive: true, force: true }));
