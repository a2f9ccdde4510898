"""A Python user's cdk8s chart: MinIO (distributed), a seeder and s3www (ALB ingress, autoscaling),
wired to each other as in the TypeScript READMEs, synthesized and checked object by object.

Installed from the wheels in packages/{minio,s3www}/dist/python only (test/consumers/run.sh)."""
import json

import cdk8s
from cdk8s_plus_33 import NetworkPolicyIpBlock
import s3www_eks.minio as storage
from s3www_eks.minio import (
    Bucket,
    Minio,
    MinioTopology,
    PlacementPolicy,
)
from s3www_eks.s3www import (
    AlbIngressOptions,
    AlbSslPolicy,
    AlbTlsOptions,
    AutoscalingOptions,
    S3Backend,
    S3Credentials,
    S3www,
    Seeder,
    SeedSource,
)

app = cdk8s.App()
chart = cdk8s.Chart(app, "site")

minio = Minio(chart, "Minio",
    name="minio",
    namespace="storage",
    # the same S3Credentials shape as s3www's (each library declares its own, as jsii needs)
    credentials=storage.S3Credentials(secret_name="minio-root"),
    topology=MinioTopology.distributed(replicas=4, drives_per_replica=2, zone_spread=PlacementPolicy.REQUIRED),
    buckets=[Bucket(name="site", versioning=True)],
)

# A MinIO user each, of least privilege: the site reads, the seeder writes, nobody deletes. MinIO's bucket
# Job creates them from Secrets in MinIO's namespace; the web namespace holds copies for the pods.
reader = minio.grant_read("Site", bucket="site", credentials=storage.S3Credentials(secret_name="site-reader"))
writer = minio.grant_read_write("Seeder", bucket="site", credentials=storage.S3Credentials(secret_name="site-writer"))


def backend_of(user):
    keys = user.credentials
    return S3Backend(bucket=user.bucket, endpoint=minio.endpoint, credentials=S3Credentials(
        secret_name=keys.secret_name, access_key_key=keys.access_key_key, secret_key_key=keys.secret_key_key))


seeder = Seeder(chart, "Seeder",
    name="site-seeder",
    namespace="web",
    backend=backend_of(writer),
    sources=[
        SeedSource(url="https://example.com/index.html", content_type="text/html; charset=utf-8"),
        SeedSource(url="https://example.com/logo.png", key="img/logo.png"),
    ],
)
site = S3www(chart, "Site",
    name="site",
    namespace="web",
    backend=backend_of(reader),
    ingress=AlbIngressOptions(host="www.example.com", tls=AlbTlsOptions(
        certificate_arns=["arn:aws:acm:eu-west-1:123456789012:certificate/0f6f1b3e-2c4d-4e5f-8a9b-0c1d2e3f4a5b"],
        ssl_policy=AlbSslPolicy.TLS13_1_3_PQ_2025_09)),
    autoscaling=AutoscalingOptions(min_replicas=2, max_replicas=6, cpu_utilization=70),
)

# MinIO admits the web pods and the seeder's, and writes their egress to it: both are pod selectors.
minio_policy = minio.allow_from(site)
seeder_policy = minio.allow_from(seeder)
# The ALB sends from the VPC.
site.allow_from(NetworkPolicyIpBlock.ipv4(chart, "Vpc", "10.0.0.0/16"))

objects = app.synth_yaml()  # synthesizes every chart; the objects are read back from the chart below
manifest = chart.to_json()


def one(kind, name, namespace):
    found = [o for o in manifest if o["kind"] == kind and o["metadata"].get("name") == name
             and o["metadata"].get("namespace") == namespace]
    assert len(found) == 1, f"expected one {kind} {namespace}/{name}, found {len(found)}: {[o['kind'] + ' ' + o['metadata'].get('name', '') for o in manifest]}"
    return found[0]


def container(obj):
    return obj["spec"]["template"]["spec"]["containers"][0]


checks = []

# MinIO: 4 pods x 2 drives in one erasure-coded pool, zone spread required, a PodDisruptionBudget.
sts = one("StatefulSet", "minio", "storage")
assert sts["spec"]["replicas"] == 4, sts["spec"]["replicas"]
args = container(sts)["args"]
pool = "http://minio-{0...3}.minio-hl.storage.svc.cluster.local/export{0...1}"
assert pool in args, args
assert len(sts["spec"]["volumeClaimTemplates"]) == 2, sts["spec"]["volumeClaimTemplates"]
zone = [c for c in sts["spec"]["template"]["spec"]["topologySpreadConstraints"] if c["topologyKey"] == "topology.kubernetes.io/zone"]
assert zone and zone[0]["whenUnsatisfiable"] == "DoNotSchedule", zone
one("PodDisruptionBudget", "minio", "storage")
checks.append("minio 4x2 drives, zone spread required, PDB")

# s3www reads the bucket from MinIO's endpoint with the keys of its Secret.
assert minio.endpoint == "http://minio.storage.svc.cluster.local:9000", minio.endpoint
deployment = one("Deployment", "site", "web")
web_args = container(deployment)["args"]
assert web_args[web_args.index("-endpoint") + 1] == minio.endpoint, web_args
assert web_args[web_args.index("-bucket") + 1] == "site", web_args
assert "replicas" not in deployment["spec"], "the autoscaler owns the replica count"
checks.append("s3www -endpoint " + minio.endpoint)

ingress = one("Ingress", "site", "web")
assert ingress["spec"]["ingressClassName"] == "alb", ingress["spec"]
assert ingress["spec"]["rules"][0]["host"] == "www.example.com", ingress["spec"]["rules"]
annotations = ingress["metadata"]["annotations"]
assert annotations["alb.ingress.kubernetes.io/listen-ports"] == '[{"HTTP":80},{"HTTPS":443}]', annotations
assert annotations["alb.ingress.kubernetes.io/ssl-redirect"] == "443", annotations
assert annotations["alb.ingress.kubernetes.io/ssl-policy"] == "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09", annotations
try:
    AlbSslPolicy.of("ELBSecurityPolicy-2016-08")
    raise AssertionError("a TLS 1.0 policy was accepted")
except Exception as err:  # the JavaScript error, as jsii raises it in Python
    assert "must not allow TLS 1.0 or 1.1" in str(err), err
checks.append("HTTPS only, TLS 1.3 policy, TLS 1.0 policy refused")
hpa = one("HorizontalPodAutoscaler", "site", "web")
assert (hpa["spec"]["minReplicas"], hpa["spec"]["maxReplicas"]) == (2, 6), hpa["spec"]
checks.append("ALB ingress, HPA 2-6")

# Least privilege: each workload mounts its own user's Secret; the bucket Job creates both users.
assert [u.policy_name for u in minio.users] == ["minio-site", "minio-seeder"], minio.users
assert reader.actions == ["s3:ListBucket", "s3:GetObject"], reader.actions
assert "s3:DeleteObject" not in writer.actions, writer.actions
assert reader.access == storage.BucketAccess.READ, reader.access
bucket_job = [o for o in manifest if o["kind"] == "Job" and o["metadata"]["name"] == minio.bucket_job.name]
assert len(bucket_job) == 1, [o["metadata"]["name"] for o in manifest if o["kind"] == "Job"]
refs = {e["name"]: e["valueFrom"]["secretKeyRef"]["name"] for e in container(bucket_job[0])["env"] if "valueFrom" in e}
assert refs == {"MINIO_ROOT_USER": "minio-root", "MINIO_ROOT_PASSWORD": "minio-root", "USER_0_ACCESS_KEY": "site-reader",
                "USER_0_SECRET_KEY": "site-reader", "USER_1_ACCESS_KEY": "site-writer", "USER_1_SECRET_KEY": "site-writer"}, refs
volumes = container(deployment)["volumeMounts"], deployment["spec"]["template"]["spec"]["volumes"]
assert [v["secret"]["secretName"] for v in volumes[1] if "secret" in v] == ["site-reader"], volumes
checks.append("MinIO users: site reads, seeder writes, no delete")

# The seeder Job carries the seed list.
jobs = [o for o in manifest if o["kind"] == "Job" and o["metadata"]["name"] == seeder.job_name]
assert len(jobs) == 1, [o["metadata"]["name"] for o in manifest if o["kind"] == "Job"]
env = {e["name"]: e.get("value") for e in container(jobs[0]).get("env", [])}
sources = json.loads(env["SEED_SOURCES"])
assert [s["url"] for s in sources] == ["https://example.com/index.html", "https://example.com/logo.png"], sources
assert sources[1]["key"] == "img/logo.png", sources
checks.append(f"seeder Job {seeder.job_name} with 2 sources")

# Traffic: MinIO admits the web and seeder pods on 9000, and each may send there (allowFrom writes both sides).
for client, policy in [(site, minio_policy), (seeder, seeder_policy)]:
    egress = one("NetworkPolicy", policy.name + "-egress", "web")
    assert egress["spec"]["podSelector"]["matchLabels"] == client.selector_labels, egress["spec"]
    to_minio = [r for r in egress["spec"]["egress"]
                if any(p.get("podSelector", {}).get("matchLabels") == minio.selector_labels for p in r.get("to", []))]
    assert to_minio and to_minio[0]["ports"][0]["port"] == 9000, egress["spec"]["egress"]
    ingress = one("NetworkPolicy", policy.name, "storage")
    from_client = [r for r in ingress["spec"]["ingress"]
                   if any(p.get("podSelector", {}).get("matchLabels") == client.selector_labels
                          and p.get("namespaceSelector", {}).get("matchLabels") == {"kubernetes.io/metadata.name": "web"}
                          for p in r.get("from", []))]
    assert from_client and from_client[0]["ports"][0]["port"] == 9000, ingress["spec"]["ingress"]
checks.append("NetworkPolicies s3www and seeder -> minio:9000, both sides")

print(f"python consumer: {len(manifest)} objects synthesized; checked " + "; ".join(checks))
