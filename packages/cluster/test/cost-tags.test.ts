import { Template } from 'aws-cdk-lib/assertions';
import { clusterStack, manifests } from './fixtures';
import { checkTagKey, checkTagValue } from '../src/cost-tags';

const COST_TAGS = { project: 's3www', environment: 'prod', costCenter: 'cc-1234' };

describe('cost tags', () => {
  let template: Template;
  beforeAll(() => {
    const { stack } = clusterStack({ costTags: COST_TAGS });
    template = Template.fromStack(stack);
  });

  test.each(['AWS::EKS::Cluster', 'AWS::EKS::Nodegroup', 'AWS::KMS::Key', 'AWS::Logs::LogGroup', 'AWS::IAM::Role', 'AWS::Lambda::Function'])('tags every %s', (type) => {
    for (const resource of Object.values(template.findResources(type))) {
      const tags = resource.Properties.Tags;
      // EKS resources take a map, the others a list.
      const map = Array.isArray(tags) ? Object.fromEntries(tags.map((t: any) => [t.Key, t.Value])) : tags;
      expect(map).toEqual(expect.objectContaining({ 'project': 's3www', 'environment': 'prod', 'cost-center': 'cc-1234' }));
    }
  });

  test('tags every EBS volume of the gp3 StorageClass', () => {
    const [sc] = manifests(template).filter((m) => m.kind === 'StorageClass');
    expect(sc.parameters).toEqual({
      type: 'gp3',
      encrypted: 'true',
      tagSpecification_1: 'project=s3www',
      tagSpecification_2: 'environment=prod',
      tagSpecification_3: 'cost-center=cc-1234',
    });
  });
});

describe('validation', () => {
  test.each([
    ['project', { ...COST_TAGS, project: '' }, "'costTags.project' must be 1-256 letters, digits, spaces or _ . : / = + - @ (an AWS tag value), got ''"],
    ['environment', { ...COST_TAGS, environment: 'prod!' }, "'costTags.environment' must be 1-256 letters, digits, spaces or _ . : / = + - @ (an AWS tag value), got 'prod!'"],
    ['costCenter', { ...COST_TAGS, costCenter: 'x'.repeat(257) }, `'costTags.costCenter' must be 1-256 letters, digits, spaces or _ . : / = + - @ (an AWS tag value), got '${'x'.repeat(257)}'`],
  ])('rejects an invalid %s', (_, costTags, message) => {
    expect(() => clusterStack({ costTags })).toThrow(message);
  });
});

describe('tag keys and values', () => {
  test.each(['backup', 'backup-plan', 'team/s3www', 'Backup Plan', 'k'.repeat(128)])('%s is a tag key', (key) => {
    expect(() => checkTagKey('backup.tagKey', key)).not.toThrow();
  });

  test.each(['', 'aws:backup', 'backup!', 'k'.repeat(129)])('%s is not a tag key', (key) => {
    expect(() => checkTagKey('backup.tagKey', key))
      .toThrow(`'backup.tagKey' must be 1-128 letters, digits, spaces or _ . : / = + - @ not starting with 'aws:' (an AWS tag key), got '${key}'`);
  });

  test.each(['prod', 'cc-1234', 'a b', 'x=y', 'ops@example.com', 'é'])('%s is a tag value', (value) => {
    expect(() => checkTagValue('costTags.project', value)).not.toThrow();
  });
});
