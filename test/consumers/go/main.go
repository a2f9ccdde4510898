// Command consumer is a Go user's program: a CDK app with a Network, and a cdk8s chart with a
// distributed Minio, both synthesized and checked. It exits non-zero on the first failed check.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2"
	"github.com/s3www-eks/s3www-eks-go/minio"
	"github.com/s3www-eks/s3www-eks-go/network"
)

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "go consumer: "+format+"\n", args...)
	os.Exit(1)
}

func main() {
	defer jsii.Close()
	checked := []string{}

	// A CDK app with the production network of a cluster named "consumer".
	outdir, err := os.MkdirTemp("", "go-consumer-")
	if err != nil {
		fail("%v", err)
	}
	defer os.RemoveAll(outdir)
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(outdir)})
	stack := awscdk.NewStack(app, jsii.String("Consumer"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("eu-west-1")},
	})
	net := network.NewNetwork(stack, jsii.String("Network"), &network.NetworkProps{
		ClusterName: jsii.String("consumer"),
		MaxAzs:      jsii.Number(3),
	})
	app.Synth(nil)
	template := assertions.Template_FromStack(stack, nil)
	template.ResourceCountIs(jsii.String("AWS::EC2::VPC"), jsii.Number(1))
	template.HasResourceProperties(jsii.String("AWS::EC2::Subnet"), map[string]interface{}{
		"Tags": assertions.Match_ArrayWith(&[]interface{}{
			map[string]interface{}{"Key": "kubernetes.io/cluster/consumer", "Value": "shared"},
		}),
	})
	subnets := template.FindResources(jsii.String("AWS::EC2::Subnet"), nil)
	if len(*subnets) != 6 {
		fail("expected 6 subnets over 3 AZs, got %d", len(*subnets))
	}
	if len(*net.Vpc().PrivateSubnets()) != 3 {
		fail("expected 3 private subnets, got %d", len(*net.Vpc().PrivateSubnets()))
	}
	checked = append(checked, "VPC with 6 subnets over 3 AZs tagged for cluster 'consumer'")

	// A cdk8s chart with a distributed MinIO.
	k8sApp := cdk8s.NewApp(nil)
	chart := cdk8s.NewChart(k8sApp, jsii.String("storage"), &cdk8s.ChartProps{Namespace: jsii.String("storage")})
	store := minio.NewMinio(chart, jsii.String("Minio"), &minio.MinioProps{
		Name:        jsii.String("minio"),
		Credentials: &minio.MinioCredentials{SecretName: jsii.String("minio-root")},
		Topology: minio.MinioTopology_Distributed(&minio.DistributedOptions{
			Replicas:         jsii.Number(4),
			DrivesPerReplica: jsii.Number(1),
			ZoneSpread:       minio.PlacementPolicy_REQUIRED,
		}),
		Buckets: &[]*minio.Bucket{{Name: jsii.String("site"), Versioning: jsii.Bool(true)}},
	})
	if got := *store.Endpoint(); got != "http://minio.storage.svc.cluster.local:9000" {
		fail("endpoint %s", got)
	}
	raw, err := json.Marshal(chart.ToJson())
	if err != nil {
		fail("%v", err)
	}
	var objects []struct {
		Kind     string `json:"kind"`
		Metadata struct {
			Name string `json:"name"`
		} `json:"metadata"`
		Spec struct {
			Replicas int `json:"replicas"`
			Template struct {
				Spec struct {
					Containers []struct {
						Args []string `json:"args"`
					} `json:"containers"`
				} `json:"spec"`
			} `json:"template"`
		} `json:"spec"`
	}
	if err := json.Unmarshal(raw, &objects); err != nil {
		fail("%v", err)
	}
	kinds := map[string]int{}
	for _, o := range objects {
		kinds[o.Kind]++
		if o.Kind == "StatefulSet" && o.Metadata.Name == "minio" {
			if o.Spec.Replicas != 4 {
				fail("StatefulSet replicas %d", o.Spec.Replicas)
			}
			args := strings.Join(o.Spec.Template.Spec.Containers[0].Args, " ")
			if !strings.Contains(args, "http://minio-{0...3}.minio-hl.storage.svc.cluster.local/export ") {
				fail("server args %q", args)
			}
		}
	}
	for _, kind := range []string{"StatefulSet", "PodDisruptionBudget", "NetworkPolicy", "Job"} {
		if kinds[kind] == 0 {
			fail("no %s among %v", kind, kinds)
		}
	}
	checked = append(checked, fmt.Sprintf("minio chart of %d objects: 4-pod StatefulSet, PDB, NetworkPolicy, bucket Job", len(objects)))

	fmt.Printf("go consumer: synthesized; checked %s\n", strings.Join(checked, "; "))
}
