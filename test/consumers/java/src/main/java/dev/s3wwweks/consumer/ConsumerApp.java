package dev.s3wwweks.consumer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.s3wwweks.cluster.Capacity;
import dev.s3wwweks.cluster.Cluster;
import dev.s3wwweks.cluster.NamespaceAccess;
import dev.s3wwweks.cluster.NamespaceAccessOptions;
import dev.s3wwweks.cluster.NodeGroupOptions;
import dev.s3wwweks.minio.Minio;
import dev.s3wwweks.network.Network;
import dev.s3wwweks.s3www.S3Backend;
import dev.s3wwweks.s3www.S3www;
import dev.s3wwweks.network.NetworkPreset;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.ec2.BastionHostLinux;
import software.amazon.awscdk.services.ec2.InstanceType;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.eks_v2.AccessEntry;
import software.amazon.awscdk.services.eks_v2.EndpointAccess;
import software.amazon.awscdk.services.eks_v2.KubernetesManifest;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.Role;
import org.cdk8s.ApiObject;
import org.cdk8s.ApiObjectMetadata;
import org.cdk8s.Chart;
import org.cdk8s.plus33.Pods;
import org.cdk8s.plus33.PodsSelectOptions;

/**
 * A Java user's CDK app: a Network and a Cluster on it (two node groups, an admin role, a viewer of one
 * namespace, a private API endpoint reached through the network's bastion), with a cdk8s
 * chart of MinIO and s3www added to the cluster; synthesized offline and checked on the CloudFormation
 * template. Exits non-zero on the first failed check.
 */
public final class ConsumerApp {
    private ConsumerApp() {
    }

    public static void main(final String[] args) throws Exception {
        // run.sh points java.io.tmpdir (and TMPDIR, for the jsii runtime's node) at its scratch folder.
        Path outdir = Files.createTempDirectory("java-consumer-");
        software.amazon.awscdk.App app = new software.amazon.awscdk.App(AppProps.builder().outdir(outdir.toString()).build());
        Stack stack = new Stack(app, "Consumer", StackProps.builder()
                .env(Environment.builder().account("111111111111").region("eu-west-1").build())
                .build());

        Network network = Network.Builder.create(stack, "Network")
                .clusterName("consumer")
                .preset(NetworkPreset.DEVELOPMENT)
                .build();

        IRole ops = Role.fromRoleArn(stack, "Ops", "arn:aws:iam::111111111111:role/ops");
        Cluster cluster = Cluster.Builder.create(stack, "Cluster")
                .vpc(network.getVpc())
                .clusterName("consumer")
                .endpointAccess(EndpointAccess.PRIVATE)
                .admins(List.of(ops))
                .capacity(Capacity.nodeGroups(
                        NodeGroupOptions.builder().name("general")
                                .instanceTypes(List.of(new InstanceType("m6i.large"))).minSize(2).maxSize(4).build(),
                        NodeGroupOptions.builder().name("batch")
                                .instanceTypes(List.of(new InstanceType("c7i.large"))).minSize(0).maxSize(3)
                                .labels(Map.of("workload", "batch")).build()))
                .build();
        IRole support = Role.fromRoleArn(stack, "Support", "arn:aws:iam::111111111111:role/support");
        AccessEntry supportEntry = cluster.grantNamespaceAccess("Support", support, NamespaceAccessOptions.builder()
                .namespaces(List.of("web")).access(NamespaceAccess.VIEW).build());
        BastionHostLinux bastion = network.addBastion("Bastion");
        cluster.getConnections().allowFrom(bastion, Port.tcp(443));

        org.cdk8s.App k8sApp = new org.cdk8s.App();
        Chart chart = new Chart(k8sApp, "web");
        ApiObject.Builder.create(chart, "Namespace")
                .apiVersion("v1").kind("Namespace")
                .metadata(ApiObjectMetadata.builder().name("web").build())
                .build();
        Minio minio = Minio.Builder.create(chart, "Minio")
                .name("minio").namespace("web")
                .credentials(dev.s3wwweks.minio.S3Credentials.builder().secretName("minio-root").build())
                .build();
        S3www site = S3www.Builder.create(chart, "Site")
                .name("site").namespace("web")
                .backend(S3Backend.builder()
                        .bucket("site")
                        .endpoint(minio.getEndpoint())
                        .credentials(dev.s3wwweks.s3www.S3Credentials.builder().secretName("site-keys").build())
                        .build())
                .build();
        // MinIO admits the web pods and lets them send to it: S3www is a cdk8s-plus pod selector.
        minio.allowFrom(site);
        // In Java, cdk8s-plus's Pods.select(...) is only an IPodSelector; allowFrom takes it as it is.
        minio.allowFrom(Pods.select(chart, "Clients", PodsSelectOptions.builder()
                .labels(Map.of("app.kubernetes.io/part-of", "reports")).build()));
        KubernetesManifest manifest = cluster.addChart("Web", chart);

        app.synth();
        Template template = Template.fromStack(stack);
        List<String> checked = new ArrayList<>();

        template.resourceCountIs("AWS::EC2::VPC", 1);
        template.hasResourceProperties("AWS::EC2::Subnet", Map.of(
                "Tags", Match.arrayWith(List.of(Map.of("Key", "kubernetes.io/role/internal-elb", "Value", "1")))));
        checked.add("VPC with internal-elb subnets");

        template.hasResourceProperties("AWS::EKS::Cluster", Map.of("Name", "consumer"));
        template.resourceCountIs("AWS::EKS::Nodegroup", 2);
        template.hasResourceProperties("AWS::EKS::Nodegroup", Map.of(
                "InstanceTypes", List.of("c7i.large"),
                "Labels", Map.of("workload", "batch"),
                "ScalingConfig", Map.of("MinSize", 0, "MaxSize", 3, "DesiredSize", 0)));
        checked.add("cluster 'consumer' with 2 node groups");

        template.hasResourceProperties("AWS::EKS::AccessEntry", Map.of(
                "PrincipalArn", "arn:aws:iam::111111111111:role/ops",
                "AccessPolicies", List.of(Map.of(
                        "AccessScope", Map.of("Type", "cluster"),
                        "PolicyArn", Map.of("Fn::Join", List.of("", List.of(
                                "arn:", Map.of("Ref", "AWS::Partition"), ":eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy")))))));
        checked.add("admin access entry");

        template.hasResourceProperties("AWS::EKS::Cluster", Map.of(
                "ResourcesVpcConfig", Match.objectLike(Map.of("EndpointPublicAccess", false, "EndpointPrivateAccess", true))));
        template.hasResourceProperties("AWS::EKS::AccessEntry", Map.of(
                "PrincipalArn", "arn:aws:iam::111111111111:role/support",
                "AccessPolicies", List.of(Map.of(
                        "AccessScope", Map.of("Type", "namespace", "Namespaces", List.of("web")),
                        "PolicyArn", Map.of("Fn::Join", List.of("", List.of(
                                "arn:", Map.of("Ref", "AWS::Partition"), ":eks::aws:cluster-access-policy/AmazonEKSViewPolicy")))))));
        if (supportEntry.getAccessEntryName() == null) {
            throw new AssertionError("grantNamespaceAccess returned no access entry");
        }
        template.resourcePropertiesCountIs("AWS::EC2::SecurityGroupIngress", Map.of(
                "IpProtocol", "tcp", "FromPort", 443, "ToPort", 443,
                "SourceSecurityGroupId", Map.of("Fn::GetAtt", List.of(
                        stack.getLogicalId((software.amazon.awscdk.CfnElement) bastion.getConnections().getSecurityGroups().get(0).getNode().getDefaultChild()),
                        "GroupId"))), 2);
        checked.add("private endpoint; a namespaced view access entry; the bastion let into the endpoint's 2 security groups on 443");

        // The chart became one kubectl manifest resource of the cluster, holding the chart's objects.
        String manifestId = stack.getLogicalId((software.amazon.awscdk.CfnElement) manifest.getNode().getDefaultChild());
        Map<String, Map<String, Object>> manifests = template.findResources("Custom::AWSCDK-EKS-KubernetesResource");
        if (!manifests.containsKey(manifestId)) {
            throw new AssertionError("no manifest resource " + manifestId + " among " + manifests.keySet());
        }
        String web = String.valueOf(manifests.get(manifestId).get("Properties"));
        for (String expected : List.of("\"kind\":\"Namespace\"", "\"kind\":\"StatefulSet\"", "\"kind\":\"Deployment\"",
                "\"-endpoint\",\"http://minio.web.svc.cluster.local:9000\"",
                "\"from\":[{\"podSelector\":{\"matchLabels\":{\"app.kubernetes.io/part-of\":\"reports\"}}}]",
                "\"policyTypes\":[\"Egress\"]")) {
            if (!web.contains(expected)) {
                throw new AssertionError("manifest " + manifestId + " lacks " + expected + ": " + web);
            }
        }
        checked.add("chart of MinIO (admitting s3www and Pods.select via allowFrom) and s3www in manifest " + manifestId);

        Path assembly = outdir.resolve("Consumer.template.json");
        if (!Files.exists(assembly)) {
            throw new AssertionError("no template written to " + assembly);
        }
        deleteRecursively(outdir);
        System.out.println("java consumer: synthesized offline; checked " + String.join("; ", checked));
    }

    private static void deleteRecursively(final Path dir) throws Exception {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
