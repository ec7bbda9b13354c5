import type { ProviderSettingInput } from "@xionimus/protocol"
import type { MessageKey } from "../../i18n/en.ts"

export type ProviderKind = ProviderSettingInput["type"]

/** The kinds the add form offers, in its order, with what each needs. */
export const providerKinds: readonly {
  kind: ProviderKind
  label: MessageKey
  /** A suggested provider id. */
  id: string
  /** Whether the base URL is required (else optional, for proxies). */
  needsUrl: boolean
  needsKey: boolean
  placeholderUrl: string
}[] = [
  {
    kind: "openai",
    label: "settings.providers.kind.openai",
    id: "openai",
    needsUrl: false,
    needsKey: true,
    placeholderUrl: "https://api.openai.com/v1",
  },
  {
    kind: "anthropic",
    label: "settings.providers.kind.anthropic",
    id: "anthropic",
    needsUrl: false,
    needsKey: true,
    placeholderUrl: "https://api.anthropic.com/v1",
  },
  {
    kind: "google",
    label: "settings.providers.kind.google",
    id: "google",
    needsUrl: false,
    needsKey: true,
    placeholderUrl: "https://generativelanguage.googleapis.com/v1beta",
  },
  {
    kind: "ollama",
    label: "settings.providers.kind.ollama",
    id: "ollama",
    needsUrl: true,
    needsKey: false,
    placeholderUrl: "http://127.0.0.1:11434",
  },
  {
    kind: "openai-compatible",
    label: "settings.providers.kind.compatible",
    id: "local",
    needsUrl: true,
    needsKey: false,
    placeholderUrl: "http://127.0.0.1:8000/v1",
  },
]

export function providerKindLabel(kind: ProviderKind): MessageKey {
  return providerKinds.find((entry) => entry.kind === kind)?.label ?? "settings.providers.kind.compatible"
}

/** A comma- or line-separated list of model ids as typed, without blanks or repeats. */
export function parseModelList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,]+/)
        .map((model) => model.trim())
        .filter(Boolean),
    ),
  ]
}
