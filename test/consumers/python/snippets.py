"""Runs the Python translation of every README and @example snippet of minio and s3www.

jsii-rosetta translates each TypeScript snippet (after `jsii-rosetta extract --strict` compiled it) into
the library's .jsii.tabl.json; those translations are what Python users read in the docs pacmak writes.
Here each one runs against the installed wheels in a fresh chart, after the Python twin of the
package's rosetta/default.ts-fixture, and the chart must synthesize. A wrong keyword argument, a name
the package does not export, or a value the construct rejects fails it.

Usage: python snippets.py <tablet>...   (run.sh passes packages/{minio,s3www}/.jsii.tabl.json)"""
import json
import sys
import traceback

# The Python twins of packages/<name>/rosetta/default.ts-fixture (the names the snippets use unimported).
PRELUDES = {
    "@s3www-eks/minio": "from cdk8s import Chart, Testing\nchart = Testing.chart()\n",
    "@s3www-eks/s3www": (
        "from cdk8s import Chart, Duration, Testing\n"
        "from cdk8s_plus_33 import Namespaces, NetworkPolicyIpBlock, NetworkPolicyPort, PodConnectionsIsolation, Pods\n"
        "from s3www_eks.s3www import LoadBalancerScheme, S3www, Seeder\n"
        "chart = Testing.chart()\n"
    ),
}


def where(snippet):
    location = snippet.get("location", {})
    api = location.get("api", {})
    field = location.get("field", {})
    name = api.get("fqn") or api.get("moduleFqn") or "?"
    return f"{name} {api.get('api', '')} line {field.get('line', '?')}"


ran = 0
failures = []
for tablet_path in sys.argv[1:]:
    with open(tablet_path, encoding="utf-8") as f:
        tablet = json.load(f)
    for snippet in tablet["snippets"].values():
        module = (snippet.get("location", {}).get("api", {}).get("moduleFqn")
                  or snippet.get("location", {}).get("api", {}).get("fqn", "").split(".")[0])
        prelude = next((p for m, p in PRELUDES.items() if module.startswith(m)), None)
        if prelude is None:
            failures.append(f"{tablet_path}: no Python prelude for {module}")
            continue
        source = snippet["translations"].get("python", {}).get("source")
        if not source:
            failures.append(f"{where(snippet)}: no Python translation")
            continue
        scope = {}
        try:
            exec(compile(prelude + source + "\nTesting.synth(chart)\n", where(snippet), "exec"), scope)
            ran += 1
        except Exception:  # noqa: BLE001 - every failure is reported with its snippet
            failures.append(f"{where(snippet)}:\n{source}\n{traceback.format_exc(limit=3)}")

for failure in failures:
    print(f"FAILED {failure}", file=sys.stderr)
if ran == 0 and not failures:
    print("no snippet found", file=sys.stderr)
    sys.exit(1)
print(f"python snippets: {ran} README and @example translations of minio and s3www ran and synthesized"
      + (f"; {len(failures)} failed" if failures else ""))
sys.exit(1 if failures else 0)
