/**
 * Local integration receivers for tests and benchmarks, all on 127.0.0.1: a Standard Webhooks
 * endpoint that verifies signatures, a Splunk HEC-compatible endpoint and a syslog listener
 * (TCP or TLS, RFC 6587 octet counting).
 */
export { Collector } from "./collector.ts";
export { type HecReceiver, startHecReceiver } from "./hec.ts";
export { type HttpReceiver, startHttpReceiver } from "./http.ts";
export { readFrames, type SyslogReceiver, startSyslogReceiver } from "./syslog.ts";
export { startWebhookReceiver, verifyStandardWebhook, type WebhookReceiver } from "./webhook.ts";
