import { useSyncExternalStore } from "react"

/** Whether a media query matches now; re-renders when that changes. */
export function useMediaQuery(query: string): boolean {
  return useSyncExternalStore(
    (listener) => {
      const media = window.matchMedia(query)
      media.addEventListener("change", listener)
      return () => media.removeEventListener("change", listener)
    },
    () => window.matchMedia(query).matches,
    () => true,
  )
}

/** Tailwind's `md` breakpoint: from here on the workspace shows panels side by side, below it tabs. */
export const wideQuery = "(min-width: 48rem)"
