// Command consumer is a Go user's program: a cdk8s chart with a distributed Minio and an S3www
// reading from it, and a CDK app with a Network and a Cluster to which the chart is added; both are
// synthesized and checked. It exits non-zero on the first failed check.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2"
	"github.com/s3www-eks/s3www-eks-go/cluster"
	"github.com/s3www-eks/s3www-eks-go/minio"
	"github.com/s3www-eks/s3www-eks-go/network"
	"github.com/s3www-eks/s3www-eks-go/s3www"
)

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "go consumer: "+format+"\n", args...)
	os.Exit(1)
}

type object struct {
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

func main() {
	defer jsii.Close()
	checked := []string{}

	// The workload: a cdk8s chart with a distributed MinIO and s3www serving one of its buckets.
	k8sApp := cdk8s.NewApp(nil)
	chart := cdk8s.NewChart(k8sApp, jsii.String("storage"), &cdk8s.ChartProps{Namespace: jsii.String("storage")})
	store := minio.NewMinio(chart, jsii.String("Minio"), &minio.MinioProps{
		Name:        jsii.String("minio"),
		Credentials: &minio.S3Credentials{SecretName: jsii.String("minio-root")},
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
	site := s3www.NewS3www(chart, jsii.String("Site"), &s3www.S3wwwProps{
		Name: jsii.String("site"),
		Backend: &s3www.S3Backend{
			Bucket:      jsii.String("site"),
			Endpoint:    store.Endpoint(),
			Credentials: &s3www.S3Credentials{SecretName: jsii.String("site-keys")},
		},
	})
	// MinIO admits the web pods and lets them send to it: S3www is a cdk8s-plus pod selector.
	store.AllowFrom(site, nil)
	raw, err := json.Marshal(chart.ToJson())
	if err != nil {
		fail("%v", err)
	}
	var objects []object
	if err := json.Unmarshal(raw, &objects); err != nil {
		fail("%v", err)
	}
	kinds := map[string]int{}
	for _, o := range objects {
		kinds[o.Kind]++
		args := ""
		if len(o.Spec.Template.Spec.Containers) > 0 {
			args = strings.Join(o.Spec.Template.Spec.Containers[0].Args, " ")
		}
		switch {
		case o.Kind == "StatefulSet" && o.Metadata.Name == "minio":
			if o.Spec.Replicas != 4 {
				fail("StatefulSet replicas %d", o.Spec.Replicas)
			}
			if !strings.Contains(args, "http://minio-{0...3}.minio-hl.storage.svc.cluster.local/export ") {
				fail("server args %q", args)
			}
		case o.Kind == "Deployment" && o.Metadata.Name == "site":
			if !strings.Contains(args, "-endpoint "+*store.Endpoint()+" -bucket site") {
				fail("s3www args %q", args)
			}
		}
	}
	for _, kind := range []string{"StatefulSet", "Deployment", "PodDisruptionBudget", "NetworkPolicy", "Job"} {
		if kinds[kind] == 0 {
			fail("no %s among %v", kind, kinds)
		}
	}
	checked = append(checked, fmt.Sprintf("chart of %d objects: 4-pod MinIO StatefulSet, s3www on its endpoint, PDBs, NetworkPolicies, bucket Job", len(objects)))

	// The infrastructure: a CDK app with the network and a cluster on it, the chart added.
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
	ops := awsiam.Role_FromRoleArn(stack, jsii.String("Ops"), jsii.String("arn:aws:iam::111111111111:role/ops"), nil)
	eks := cluster.NewCluster(stack, jsii.String("Cluster"), &cluster.ClusterProps{
		Vpc:         net.Vpc(),
		ClusterName: jsii.String("consumer"),
		Admins:      &[]awsiam.IRole{ops},
	})
	eks.AddChart(jsii.String("Storage"), chart)
	app.Synth(nil)

	template := assertions.Template_FromStack(stack, nil)
	template.ResourceCountIs(jsii.String("AWS::EC2::VPC"), jsii.Number(1))
	template.HasResourceProperties(jsii.String("AWS::EC2::Subnet"), map[string]interface{}{
		"Tags": assertions.Match_ArrayWith(&[]interface{}{
			map[string]interface{}{"Key": "kubernetes.io/cluster/consumer", "Value": "shared"},
		}),
	})
	if n := len(*template.FindResources(jsii.String("AWS::EC2::Subnet"), nil)); n != 6 {
		fail("expected 6 subnets over 3 AZs, got %d", n)
	}
	checked = append(checked, "VPC with 6 subnets over 3 AZs tagged for cluster 'consumer'")

	template.HasResourceProperties(jsii.String("AWS::EKS::Cluster"), map[string]interface{}{"Name": "consumer"})
	template.HasResourceProperties(jsii.String("AWS::EKS::AccessEntry"), map[string]interface{}{
		"PrincipalArn": "arn:aws:iam::111111111111:role/ops",
	})
	manifests := template.FindResources(jsii.String("Custom::AWSCDK-EKS-KubernetesResource"), nil)
	found := false
	for _, resource := range *manifests {
		text, _ := json.Marshal(resource)
		if strings.Contains(string(text), `\"kind\":\"StatefulSet\"`) && strings.Contains(string(text), `\"name\":\"minio\"`) {
			found = true
		}
	}
	if !found {
		fail("no kubectl manifest of the cluster holds the MinIO StatefulSet (%d manifests)", len(*manifests))
	}
	checked = append(checked, "cluster 'consumer' with the ops admin entry and the chart as a manifest")

	fmt.Printf("go consumer: synthesized; checked %s\n", strings.Join(checked, "; "))
}
