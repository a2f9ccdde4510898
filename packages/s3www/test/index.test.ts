import * as api from '../src';

test('the entry point exports exactly the public classes and enums', () => {
  // WHEN (interfaces exist only as types; ts-jest still lists them, as undefined)
  const exported = Object.entries(api).map(([name, value]) => [name, typeof value]).filter(([, type]) => type !== 'undefined');
  // THEN
  expect(exported.sort()).toEqual([
    ['AlbSslPolicy', 'function'],
    ['LoadBalancerScheme', 'object'],
    ['S3www', 'function'],
    ['Seeder', 'function'],
    ['SpreadPolicy', 'object'],
  ]);
});
