/**
 * Every property of the public structs is described, and every optional one says what happens
 * when it is left out (`@default`), read from the compiled jsii assembly.
 */
import { join } from 'path';
import { structNames, undocumentedProps } from '../../../tools/testing/jsii';

const packageDir = join(__dirname, '..');

test('the assembly has the public structs', () => {
  expect(structNames(packageDir)).toEqual(expect.arrayContaining(['S3wwwProps', 'SeedOptions', 'S3wwwBackend']));
});

test('every struct property is described and every optional one documents its @default', () => {
  expect(undocumentedProps(packageDir)).toEqual([]);
});
