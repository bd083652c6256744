/**
 * A software security key for tests: answers WebAuthn registration ("none" attestation, ES256)
 * and authentication requests the way a browser plus authenticator would, so the server-side
 * ceremonies run for real on both databases without a browser. It is a fake network peer, not a
 * mock of our code. The counter can be set by hand to play a cloned key (WA-4).
 */
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto'

type Cbor = number | string | Uint8Array | [Cbor, Cbor][]

function head(major: number, n: number): Buffer {
  if (n < 24) return Buffer.from([(major << 5) | n])
  if (n < 256) return Buffer.from([(major << 5) | 24, n])
  if (n < 65536) {
    const b = Buffer.alloc(3)
    b[0] = (major << 5) | 25
    b.writeUInt16BE(n, 1)
    return b
  }
  const b = Buffer.alloc(5)
  b[0] = (major << 5) | 26
  b.writeUInt32BE(n, 1)
  return b
}

/** Just enough CBOR for attestation objects and COSE keys; maps are lists of pairs (ordered). */
export function cbor(value: Cbor): Buffer {
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value)
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8')
    return Buffer.concat([head(3, bytes.length), bytes])
  }
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), value])
  return Buffer.concat([head(5, value.length), ...value.flatMap(([k, v]) => [cbor(k), cbor(v)])])
}

const b64url = (b: Uint8Array | string) => Buffer.from(b).toString('base64url')
const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest()

export interface RequestOptions {
  challenge: string
  rpId?: string
  rp?: { id?: string }
}

export class SoftAuthenticator {
  readonly credentialId = randomBytes(16)
  private readonly privateKey: KeyObject
  private readonly publicKey: KeyObject
  counter = 0
  /** Whether it reports user verification (the UV flag); false plays a key without PIN. */
  userVerified = true
  /** The user handle of the resident credential made by `register` (passkeys answer with it). */
  userHandle: string | null = null

  constructor(
    readonly origin: string,
    readonly rpId: string,
  ) {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    this.privateKey = pair.privateKey
    this.publicKey = pair.publicKey
  }

  get id(): string {
    return b64url(this.credentialId)
  }

  private coseKey(): Buffer {
    const jwk = this.publicKey.export({ format: 'jwk' })
    return cbor([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, Buffer.from(jwk.x as string, 'base64url')],
      [-3, Buffer.from(jwk.y as string, 'base64url')],
    ])
  }

  private authData(flags: number, attested: Buffer | null): Buffer {
    const count = Buffer.alloc(4)
    count.writeUInt32BE(this.counter)
    return Buffer.concat([
      sha256(this.rpId),
      Buffer.from([flags]),
      count,
      attested ?? Buffer.alloc(0),
    ])
  }

  private clientData(type: string, challenge: string, origin = this.origin): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }))
  }

  private flags(base: number): number {
    return this.userVerified ? base | 0x04 : base
  }

  /** A RegistrationResponseJSON for `navigator.credentials.create(options)`. */
  register(options: { challenge: string; user?: { id: string } }, origin = this.origin): string {
    this.userHandle = options.user?.id ?? null
    const idLength = Buffer.alloc(2)
    idLength.writeUInt16BE(this.credentialId.length)
    const attested = Buffer.concat([Buffer.alloc(16), idLength, this.credentialId, this.coseKey()])
    // UP | UV | AT
    const authData = this.authData(this.flags(0x01 | 0x40), attested)
    const attestationObject = cbor([
      ['fmt', 'none'],
      ['attStmt', []],
      ['authData', authData],
    ])
    return JSON.stringify({
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: {
        clientDataJSON: b64url(this.clientData('webauthn.create', options.challenge, origin)),
        attestationObject: b64url(attestationObject),
        transports: ['usb'],
      },
      clientExtensionResults: { credProps: { rk: true } },
      authenticatorAttachment: 'cross-platform',
    })
  }

  /** An AuthenticationResponseJSON for `navigator.credentials.get(options)`; bumps the counter. */
  assert(options: { challenge: string }, origin = this.origin): string {
    this.counter += 1
    const authData = this.authData(this.flags(0x01), null)
    const clientDataJSON = this.clientData('webauthn.get', options.challenge, origin)
    const signature = sign(
      'sha256',
      Buffer.concat([authData, sha256(clientDataJSON)]),
      this.privateKey,
    )
    return JSON.stringify({
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        ...(this.userHandle ? { userHandle: this.userHandle } : {}),
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'cross-platform',
    })
  }
}

/** The WebAuthn options a page put in its `data-options` attribute (HTML-unescaped). */
export function optionsFrom(html: string): { challenge: string; user?: { id: string } } {
  const m = /data-options="([^"]+)"/.exec(html)
  if (!m) throw new Error(`no data-options in the page: ${html.slice(0, 300)}`)
  const json = m[1]
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
  return JSON.parse(json)
}
