import { randomInt } from "node:crypto";

/** Appends the Luhn check digit, so the number is a valid card number to any DLP. */
function withLuhn(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return `${digits}${(10 - (sum % 10)) % 10}`;
}

const pad = (n: number, width: number) => String(n).padStart(width, "0");

/** A synthetic SSN in the issued ranges (no area 000, 666 or 9xx; no zero group or serial). */
function ssn(): string {
  let area = randomInt(1, 900);
  if (area === 666) area = 665;
  return `${pad(area, 3)}-${pad(randomInt(1, 100), 2)}-${pad(randomInt(1, 10_000), 4)}`;
}

/**
 * A customer export like the one taken in 2019: synthetic names, SSNs and card numbers, made
 * up at run time (no real person's data is in the repository).
 */
export function customerRecords(rows: number): Buffer {
  const lines = ["customer_id,name,ssn,card_number,credit_limit"];
  for (let i = 1; i <= rows; i += 1) {
    const card = withLuhn(`4${pad(randomInt(0, 1e9), 9)}${pad(randomInt(0, 1e5), 5)}`);
    lines.push(`C${pad(i, 7)},Customer ${i},${ssn()},${card},${randomInt(1, 50) * 1000}`);
  }
  return Buffer.from(`${lines.join("\n")}\n`);
}

/** A patch package's bytes: no records, nothing a DLP profile should flag. */
export function patchPackage(size: number): Buffer {
  const body = Buffer.alloc(size);
  for (let i = 0; i < size; i += 1) body[i] = 0x20 + (i % 90);
  return body;
}
