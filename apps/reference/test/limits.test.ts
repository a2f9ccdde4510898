/**
 * The size limits of a deploy, for every environment (tools/testing/limits.ts says where each limit
 * comes from): every Kubernetes object as kubectl sends it, in the plain manifests and in what the
 * stack applies, within 200 KiB; every kubectl custom resource's properties, doubled for an update
 * event, within 80% of the asynchronous invocation payload limit; every template within 700 KB.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { customResourceSizes, expectWithinLimits, objectSizes, templateFileSizes } from '../../../tools/testing/limits';
import { EnvironmentName } from '../src/environment-config';
import { kubernetesObjectsInTemplate, synthesizeEnvironment, SynthesizedEnvironment, templateFiles } from '../src/synthesis';

const base = mkdtempSync(join(tmpdir(), 'limits-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe.each(Object.values(EnvironmentName))('environment %s', (name) => {
  let out: SynthesizedEnvironment;

  beforeAll(() => {
    out = synthesizeEnvironment(name, { cdkOut: join(base, name, 'cdk.out'), manifests: join(base, name, 'manifests') });
  });

  test('every object, as kubectl sends it, stays within 200 KiB', () => {
    const applied = Object.values(out.templates).flatMap((t) => Object.values(kubernetesObjectsInTemplate(t)).flat());
    expect(applied.length).toBeGreaterThan(out.objects.length);
    expectWithinLimits(objectSizes([...out.objects, ...applied]));
  });

  test('every kubectl custom resource\'s properties fit an update event', () => {
    expectWithinLimits(Object.values(out.templates).flatMap(customResourceSizes));
  });

  test('every template stays within 700 KB', () => {
    expectWithinLimits(templateFileSizes(templateFiles(out.folders.cdkOut)));
  });
});
