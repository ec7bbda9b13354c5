import { useMemo } from "react"
import { encodeQr } from "../../stores/settings-profile-qr.ts"

/** A QR code drawn as SVG in the page (the secret never leaves the browser for an image service). */
export function ProfileQrCode({ text, label, testId }: { text: string; label: string; testId?: string }) {
  const { size, path } = useMemo(() => {
    const code = encodeQr(text)
    let path = ""
    code.modules.forEach((row, y) => {
      row.forEach((dark, x) => {
        if (dark) path += `M${x + 4},${y + 4}h1v1h-1z`
      })
    })
    return { size: code.size + 8, path }
  }, [text])
  return (
    <svg
      role="img"
      aria-label={label}
      viewBox={`0 0 ${size} ${size}`}
      shapeRendering="crispEdges"
      className="size-48 rounded-lg border border-line"
      data-testid={testId}
    >
      <rect width={size} height={size} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  )
}
