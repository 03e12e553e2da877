import type { ServiceObject } from "../documents/policy.ts";

/** One way to reach a service: a host pattern, optionally with a required path prefix. */
export interface HostForm {
  /** Machine-readable name of the form, such as `s3:virtual-hosted-regional`. */
  readonly form: string;
  readonly host: string;
  /** When not null, the request path must fall under this prefix (path-style addressing). */
  readonly pathPrefix: string | null;
}

const AZURE_ENDPOINTS = ["blob", "file", "queue", "table", "dfs", "web"] as const;
const AZURE_DEFAULT_ENDPOINTS = ["blob", "file", "queue", "table", "dfs"] as const;

function form(name: string, host: string, pathPrefix: string | null = null): HostForm {
  return { form: name, host, pathPrefix };
}

/**
 * GAP(partitions): only the aws partition's amazonaws.com names are generated; China
 * (amazonaws.com.cn), access points, Object Lambda and S3 Express directory buckets are not.
 * Adding them is a matter of more forms here once a policy can name the partition.
 *
 * Every host form that reaches an S3 bucket in its region: virtual-hosted (global and
 * regional), the legacy dash-region form, dual-stack, FIPS, Transfer Acceleration, PrivateLink
 * interface endpoints, and the path-style forms where the bucket is the first path segment.
 */
export function s3Forms(
  bucket: string,
  region: string,
  vpcEndpoints: readonly string[],
): HostForm[] {
  const path = `/${bucket}`;
  const vpce = vpcEndpoints.length > 0 ? [...vpcEndpoints] : ["*"];
  const forms = [
    form("s3:virtual-hosted", `${bucket}.s3.amazonaws.com`),
    form("s3:virtual-hosted-regional", `${bucket}.s3.${region}.amazonaws.com`),
    form("s3:virtual-hosted-dash-region", `${bucket}.s3-${region}.amazonaws.com`),
    form("s3:dualstack", `${bucket}.s3.dualstack.${region}.amazonaws.com`),
    form("s3:fips", `${bucket}.s3-fips.${region}.amazonaws.com`),
    form("s3:fips-dualstack", `${bucket}.s3-fips.dualstack.${region}.amazonaws.com`),
    form("s3:accelerate", `${bucket}.s3-accelerate.amazonaws.com`),
    form("s3:accelerate-dualstack", `${bucket}.s3-accelerate.dualstack.amazonaws.com`),
    ...vpce.map((id) =>
      form("s3:vpce-virtual-hosted", `${bucket}.bucket.${id}.s3.${region}.vpce.amazonaws.com`),
    ),
    form("s3:path-style", "s3.amazonaws.com", path),
    form("s3:path-style-regional", `s3.${region}.amazonaws.com`, path),
    form("s3:path-style-dash-region", `s3-${region}.amazonaws.com`, path),
    form("s3:path-style-dualstack", `s3.dualstack.${region}.amazonaws.com`, path),
    form("s3:path-style-fips", `s3-fips.${region}.amazonaws.com`, path),
    ...vpce.map((id) =>
      form("s3:vpce-path-style", `bucket.${id}.s3.${region}.vpce.amazonaws.com`, path),
    ),
  ];
  if (region === "us-east-1") {
    forms.push(form("s3:external-1", `${bucket}.s3-external-1.amazonaws.com`));
    forms.push(form("s3:path-style-external-1", "s3-external-1.amazonaws.com", path));
  }
  return forms;
}

/**
 * Hosts where S3 reads the bucket from the path: the global and regional endpoints, the
 * dash-region, dual-stack, FIPS and external-1 forms (first label `s3` or `s3-…`) and the
 * PrivateLink `bucket.vpce-….s3.<region>.vpce` form, in the aws and China partitions. A
 * virtual-hosted bucket named `s3-…` matches too; that only means its paths may not carry
 * dot segments either (see flow.ts), which S3 refuses anyway.
 */
const S3_PATH_STYLE_HOST =
  /^(?:s3|s3-[a-z0-9-]+|bucket\.vpce-[a-z0-9-]+\.s3)\.(?:[a-z0-9-]+\.)*amazonaws\.com(?:\.cn)?$/;

/** True when a (normalised) host name is an S3 endpoint that takes path-style requests. */
export function isS3PathStyleHost(name: string): boolean {
  return S3_PATH_STYLE_HOST.test(name);
}

/**
 * The public and Private Link hosts of an Azure storage account's endpoints.
 * GAP(sovereign-clouds): only core.windows.net; Azure China and US Government suffixes need
 * a cloud field on the service object.
 */
export function azureStorageForms(account: string, endpoints: readonly string[]): HostForm[] {
  const chosen = AZURE_ENDPOINTS.filter((endpoint) => endpoints.includes(endpoint));
  return chosen.flatMap((endpoint) => [
    form(`azure:${endpoint}`, `${account}.${endpoint}.core.windows.net`),
    form(`azure:${endpoint}-privatelink`, `${account}.privatelink.${endpoint}.core.windows.net`),
  ]);
}

/** The virtual-hosted, path-style and JSON API forms of a Google Cloud Storage bucket. */
export function gcsForms(bucket: string): HostForm[] {
  return [
    form("gcs:virtual-hosted", `${bucket}.storage.googleapis.com`),
    form("gcs:path-style", "storage.googleapis.com", `/${bucket}`),
    form("gcs:json-api", "storage.googleapis.com", `/storage/v1/b/${bucket}`),
    form("gcs:json-upload", "storage.googleapis.com", `/upload/storage/v1/b/${bucket}`),
    form("gcs:json-download", "storage.googleapis.com", `/download/storage/v1/b/${bucket}`),
    form("gcs:authenticated-browser", "storage.cloud.google.com", `/${bucket}`),
  ];
}

/** Expands a service object into its host forms; `region` is the bucket's resolved region. */
export function expandService(service: ServiceObject, region: string | undefined): HostForm[] {
  switch (service.kind) {
    case "s3":
      return s3Forms(service.bucket, region ?? "us-east-1", service.vpcEndpoints ?? []);
    case "azure_storage":
      return azureStorageForms(service.account, service.endpoints ?? [...AZURE_DEFAULT_ENDPOINTS]);
    case "gcs":
      return gcsForms(service.bucket);
    case "fqdn": {
      const prefixes = service.pathPrefixes ?? [null];
      return service.hosts.flatMap((host) =>
        prefixes.map((prefix) => form("fqdn", host.toLowerCase().replace(/\.$/, ""), prefix)),
      );
    }
  }
}
