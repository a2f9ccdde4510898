#!/usr/bin/env node
/**
 * The CustomResourceDefinitions the cluster library's Helm releases would install, fetched as their
 * projects publish them, for the tests that apply our custom resources to a real API server.
 *
 * Each set comes from a Go module of the operator, at the version its pinned Helm chart runs, through
 * the Go module proxy (`go mod download`, which checks the module's checksum against the checksum
 * database). Only the CRD files are kept, in the programs cache beside the built programs
 * (tools/programs/build.js), in <cache>/crds-<name>-<version>/: a changed version is a new folder.
 * Nothing of them is committed.
 *
 * Usage: node tools/programs/crds.js            fetch (or reuse) every set
 * In tests: require('tools/programs/crds.js').crdSets()
 */
const { execFileSync } = require('child_process');
const { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } = require('fs');
const { join } = require('path');
const { cacheDir } = require('./build.js');

/**
 * The CRD sets, by the Helm chart that brings them on a real cluster. `chartVersion` is the chart
 * version the cluster library pins (packages/cluster/src): the reference app's tests fail when the
 * synthesized chart version differs, so a chart upgrade cannot leave these behind.
 */
const CRD_SETS = {
  'prometheus-operator': {
    chart: 'kube-prometheus-stack',
    chartVersion: '88.1.3',
    // kube-prometheus-stack 88.1.3 runs prometheus-operator v0.93.0 (the chart's appVersion); its crds
    // subchart holds these very files, copied from the operator's repository at that tag.
    module: 'github.com/prometheus-operator/prometheus-operator',
    version: 'v0.93.0',
    dir: 'example/prometheus-operator-crd',
    files: [
      'monitoring.coreos.com_alertmanagerconfigs.yaml',
      'monitoring.coreos.com_alertmanagers.yaml',
      'monitoring.coreos.com_podmonitors.yaml',
      'monitoring.coreos.com_probes.yaml',
      'monitoring.coreos.com_prometheusagents.yaml',
      'monitoring.coreos.com_prometheuses.yaml',
      'monitoring.coreos.com_prometheusrules.yaml',
      'monitoring.coreos.com_scrapeconfigs.yaml',
      'monitoring.coreos.com_servicemonitors.yaml',
      'monitoring.coreos.com_thanosrulers.yaml',
    ],
  },
  'external-secrets': {
    chart: 'external-secrets',
    chartVersion: '2.7.0',
    // The chart 2.7.0 runs external-secrets v2.7.0, whose CRDs no registry serves: the project's Go
    // module path has no /v2 suffix, so the module proxy cannot serve its v2 tags. v1.3.2 is the newest
    // release the proxy serves. Its external-secrets.io/v1 SecretStore and ExternalSecret schemas lack
    // fields v2 added (e.g. syncWindows, nullBytePolicy) and still have providers v2 removed: an object
    // accepted here uses no field that is new in v2.
    module: 'github.com/external-secrets/external-secrets',
    version: 'v1.3.2',
    dir: 'config/crds/bases',
    files: [
      'external-secrets.io_clusterexternalsecrets.yaml',
      'external-secrets.io_clusterpushsecrets.yaml',
      'external-secrets.io_clustersecretstores.yaml',
      'external-secrets.io_externalsecrets.yaml',
      'external-secrets.io_pushsecrets.yaml',
      'external-secrets.io_secretstores.yaml',
    ],
  },
};

function folderOf(name) {
  return join(cacheDir(), `crds-${name}-${CRD_SETS[name].version}`);
}

/** Fetches one set unless it is cached; returns what happened. */
function fetchSet(name) {
  const set = CRD_SETS[name];
  const folder = folderOf(name);
  const what = `${set.module}@${set.version} ${set.dir}`;
  if (set.files.every((f) => existsSync(join(folder, f)))) return `reused CRDs of ${name} (${what}): ${folder}`;
  const started = Date.now();
  mkdirSync(cacheDir(), { recursive: true });
  const scratch = `${folder}.partial-${process.pid}`;
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  try {
    // Run outside any module; -mod=mod lets `go mod download` resolve a module that no go.mod lists.
    const download = JSON.parse(execFileSync('go', ['mod', 'download', '-json', `${set.module}@${set.version}`], {
      cwd: scratch,
      encoding: 'utf8',
      env: { ...process.env, GOFLAGS: '-mod=mod' },
    }));
    if (download.Error) throw new Error(`go mod download ${set.module}@${set.version}: ${download.Error}`);
    for (const file of set.files) copyFileSync(join(download.Dir, set.dir, file), join(scratch, file));
    writeFileSync(join(scratch, 'source.json'), JSON.stringify({ module: set.module, version: set.version, sum: download.Sum, dir: set.dir }, null, 2));
    rmSync(folder, { recursive: true, force: true });
    renameSync(scratch, folder);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return `fetched CRDs of ${name} (${what}) in ${((Date.now() - started) / 1000).toFixed(0)} s: ${folder}`;
}

/**
 * Every CRD set, for the tests: where it came from and the paths of its files. Throws, naming the
 * command to run, when a set is not in the cache.
 */
function crdSets() {
  return Object.entries(CRD_SETS).map(([name, set]) => {
    const folder = folderOf(name);
    const files = set.files.map((f) => join(folder, f));
    const missing = files.filter((f) => !existsSync(f));
    if (missing.length > 0) {
      throw new Error(`the CRDs of ${name} (${set.module}@${set.version}) are not fetched: run \`node tools/programs/build.js\` (missing ${missing[0]})`);
    }
    return { name, chart: set.chart, chartVersion: set.chartVersion, module: set.module, version: set.version, dir: set.dir, files };
  });
}

function fetchAll() {
  return Object.keys(CRD_SETS).map(fetchSet);
}

if (require.main === module) {
  for (const line of fetchAll()) console.log(line);
}

module.exports = { crdSets, fetchAll, CRD_SETS };
