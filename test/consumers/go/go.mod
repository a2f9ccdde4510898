// A Go user's program: a CDK app with Network and Cluster, and a cdk8s chart with Minio and S3www
// (test/consumers/run.sh).
module github.com/s3www-eks/s3www-eks/test/consumers/go

go 1.26.0

require (
	github.com/aws/aws-cdk-go/awscdk/v2 v2.276.0
	github.com/aws/jsii-runtime-go v1.142.0
	github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2 v2.70.106
	github.com/s3www-eks/s3www-eks-go/cluster v0.0.0
	github.com/s3www-eks/s3www-eks-go/minio v0.0.0
	github.com/s3www-eks/s3www-eks-go/network v0.0.0
	github.com/s3www-eks/s3www-eks-go/s3www v0.0.0
)

require (
	github.com/Masterminds/semver/v3 v3.5.0 // indirect
	github.com/aws/constructs-go/constructs/v10 v10.8.1 // indirect
	github.com/cdk8s-team/cdk8s-plus-go/cdk8splus33/v2 v2.5.57 // indirect
	github.com/cdklabs/awscdk-asset-awscli-go/awscliv1/v2 v2.2.292 // indirect
	github.com/cdklabs/awscdk-asset-node-proxy-agent-go/nodeproxyagentv6/v2 v2.1.3 // indirect
	github.com/cdklabs/awscdk-kubectl-go/kubectlv36/v2 v2.0.1 // indirect
	github.com/cdklabs/cloud-assembly-schema-go/awscdkcloudassemblyschema/v55 v55.6.0 // indirect
	github.com/fatih/color v1.19.0 // indirect
	github.com/mattn/go-colorable v0.1.14 // indirect
	github.com/mattn/go-isatty v0.0.24 // indirect
	github.com/yuin/goldmark v1.7.16 // indirect
	golang.org/x/lint v0.0.0-20241112194109-818c5a804067 // indirect
	golang.org/x/mod v0.42.0 // indirect
	golang.org/x/sync v0.24.0 // indirect
	golang.org/x/sys v0.49.0 // indirect
	golang.org/x/telemetry v0.0.0-20261009151841-97e8ea77aa2a // indirect
	golang.org/x/tools v0.52.0 // indirect
	golang.org/x/tools/cmd/godoc v0.1.0-deprecated // indirect
	golang.org/x/tools/godoc v0.1.0-deprecated // indirect
)

// Ours: the modules tools/bindings/build.js writes to each library's dist/go.
replace (
	github.com/s3www-eks/s3www-eks-go/cluster => ../../../packages/cluster/dist/go/cluster
	github.com/s3www-eks/s3www-eks-go/minio => ../../../packages/minio/dist/go/minio
	github.com/s3www-eks/s3www-eks-go/network => ../../../packages/network/dist/go/network
	github.com/s3www-eks/s3www-eks-go/s3www => ../../../packages/s3www/dist/go/s3www
)

// The Go module proxy reachable here serves no version of these: run.sh links .stand-ins/ to the
// modules tools/bindings/build.js generates from the same npm packages (see that script).
replace (
	github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2 => ./.stand-ins/cdk8s
	github.com/cdk8s-team/cdk8s-plus-go/cdk8splus33/v2 => ./.stand-ins/cdk8splus33
	github.com/cdklabs/awscdk-kubectl-go/kubectlv36/v2 => ./.stand-ins/kubectlv36
)
