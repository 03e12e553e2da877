/**
 * Strict IP address and prefix utilities shared by the policy engine and the inventory
 * documents. Runtime-neutral: plain TypeScript over Uint8Array.
 */
export {
  bigIntToIp,
  canonicalIp,
  compareIp,
  formatIp,
  type IpAddress,
  ipToBigInt,
  isIp,
  NetParseError,
  parseIp,
  parseIpResult,
  tryParseIp,
  unmapIpv4,
} from "./address.ts";
export {
  familyBits,
  formatCidr,
  type IpPrefix,
  maskAddress,
  type ParseCidrOptions,
  parseAddressEntry,
  parseCidr,
  parseCidrResult,
  prefixContains,
  rangeToPrefixes,
  unmapPrefix,
} from "./prefix.ts";
