import { join } from 'path';
import { undocumentedProps } from '../../../tools/testing/jsii';

// The compiled assembly is what jsii-docgen and every language binding read, so check it, not the source.
test('every struct property is described and every optional one documents its @default', () => {
  expect(undocumentedProps(join(__dirname, '..'))).toEqual([]);
});
