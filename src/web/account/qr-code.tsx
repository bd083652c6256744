/**
 * A QR code as inline SVG elements (spec TOTP-2: the provisioning URI "shown as QR"), built from
 * qrcode's module matrix and rendered by preact like any other markup, so no image route, no
 * script and no dangerouslySetInnerHTML. One <path> of unit squares; the quiet zone is 4 modules.
 */
import QRCode from 'qrcode'

const QUIET = 4

/** The SVG path of the dark modules of `text`'s QR code, and the side length in modules. */
export function qrPath(text: string): { d: string; size: number } {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' })
  const n = modules.size
  const parts: string[] = []
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      if (modules.get(y, x)) parts.push(`M${x + QUIET} ${y + QUIET}h1v1h-1z`)
    }
  }
  return { d: parts.join(''), size: n + 2 * QUIET }
}

export function QrCode({ text, label }: { text: string; label: string }) {
  const { d, size } = qrPath(text)
  return (
    <svg
      class="qr-code"
      xmlns="http://www.w3.org/2000/svg"
      viewBox={`0 0 ${size} ${size}`}
      width="200"
      height="200"
      role="img"
      aria-label={label}
      shape-rendering="crispEdges"
    >
      <rect width={size} height={size} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  )
}
