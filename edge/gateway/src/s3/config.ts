import { z } from "zod";
import type { GatewayConfig } from "../config.ts";
import { UpstreamPool } from "../egress/upstream.ts";
import type { S3EndpointOptions } from "./endpoint.ts";
import type { S3ClientKey } from "./keys.ts";

const signingKeys = z.array(
  z.strictObject({
    date: z.string().regex(/^\d{8}$/),
    region: z.string().min(1),
    key: z.string().regex(/^[0-9a-f]{64}$/),
  }),
);

/** Thrown when a file the S3 settings name does not hold what it should; names the setting. */
export class S3ConfigError extends Error {
  override readonly name = "S3ConfigError";
}

/** Reads the secrets and keys the S3 settings name, from local files only. */
export async function s3Options(
  s3: NonNullable<GatewayConfig["s3"]>,
  read: (file: string) => Promise<string>,
): Promise<S3EndpointOptions> {
  const clients = await Promise.all(
    s3.clients.map(async (client, index): Promise<S3ClientKey> => {
      if ("secretFile" in client) {
        return {
          accessKeyId: client.accessKeyId,
          secretAccessKey: (await read(client.secretFile)).trim(),
        };
      }
      const text = await read(client.signingKeysFile);
      const parsed = signingKeys.safeParse(parseJson(text));
      if (!parsed.success) {
        throw new S3ConfigError(
          `s3.clients.${index}.signingKeysFile: expected [{date: YYYYMMDD, region, key: 64 hex}]`,
        );
      }
      return { accessKeyId: client.accessKeyId, signingKeys: parsed.data };
    }),
  );
  const upstream = s3.upstream;
  return {
    listen: s3.listen,
    region: s3.region,
    hosts: s3.hosts,
    clients,
    rules: s3.rules,
    upstream: {
      url: upstream.url,
      addressing: upstream.addressing,
      credentials: {
        accessKeyId: upstream.accessKeyId,
        secretAccessKey: (await read(upstream.secretAccessKeyFile)).trim(),
        sessionToken: upstream.sessionTokenFile
          ? (await read(upstream.sessionTokenFile)).trim()
          : undefined,
      },
      pool: upstream.caFile ? new UpstreamPool({ ca: [await read(upstream.caFile)] }) : undefined,
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
