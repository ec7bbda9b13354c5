// A fetch that keeps cookies like a browser, so tests can hold several sign-ins of real users.
import type { FetchFunction } from "@xionimus/sdk"

export interface CookieJar {
  fetch: FetchFunction
  csrfToken: () => string | undefined
}

export function cookieJar(): CookieJar {
  const cookies = new Map<string, string>()
  const fetchWithCookies: FetchFunction = async (input, init = {}) => {
    const headers = new Headers(init.headers)
    if (cookies.size > 0)
      headers.set("cookie", [...cookies].map(([name, value]) => `${name}=${value}`).join("; "))
    const response = await fetch(input, { ...init, headers })
    for (const line of response.headers.getSetCookie()) {
      const [pair = ""] = line.split(";")
      const at = pair.indexOf("=")
      const name = pair.slice(0, at)
      const value = pair.slice(at + 1)
      if (value === "" || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) cookies.delete(name)
      else cookies.set(name, value)
    }
    return response
  }
  return { fetch: fetchWithCookies, csrfToken: () => cookies.get("xionimus_csrf") }
}
