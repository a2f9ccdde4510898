// Writes API.md for the jsii library in the current directory.
//
// jsii-docgen resolves dependency assemblies (aws-cdk-lib, cdk8s, ...) only beside the
// package; in this npm workspace they are hoisted to the root node_modules, so we hand
// docgen that folder explicitly. Run from a library folder: `node ../../tools/docgen.js`.
const { writeFileSync } = require('fs');
const { join, resolve } = require('path');
const { Documentation, Language } = require('jsii-docgen');

async function main() {
  const packageDir = process.cwd();
  const docs = await Documentation.forProject(packageDir, {
    assembliesDir: resolve(__dirname, '..', 'node_modules'),
  });
  try {
    const markdown = await docs.toMarkdown({ language: Language.TYPESCRIPT, readme: false, allSubmodules: true });
    const text = markdown.render();
    if (!text.includes('# API Reference')) {
      throw new Error('jsii-docgen produced no API reference');
    }
    writeFileSync(join(packageDir, 'API.md'), text);
  } finally {
    await docs.cleanup();
  }
}

main().catch((err) => {
  console.error(`docgen failed: ${err.message}`);
  process.exit(1);
});
