import type { AuditEntry, User } from "@xionimus/protocol"
import { useState } from "react"
import { useLocale, useT } from "../../app-context.tsx"

/** One audit entry as a table row; the button opens its details (address, client, key, details). */
export function AuditRow({ entry, actor }: { entry: AuditEntry; actor: User | undefined }) {
  const t = useT()
  const locale = useLocale()
  const [open, setOpen] = useState(false)
  const detailsId = `audit-details-${entry.id}`
  const actorText = entry.actorUserId
    ? actor
      ? `${actor.name} <${actor.email}>`
      : `${entry.actorUserId}${entry.actorDeleted ? ` (${t("settings.audit.deleted")})` : ""}`
    : t("settings.audit.anonymous")
  return (
    <>
      <tr className="border-t border-line align-top" data-testid="audit-entry" data-action={entry.action}>
        <td className="px-3 py-2 whitespace-nowrap">
          <button
            type="button"
            aria-expanded={open}
            aria-controls={detailsId}
            onClick={() => setOpen(!open)}
            className="text-left text-accent hover:underline"
            data-testid="audit-entry-toggle"
          >
            {new Date(entry.time).toLocaleString(locale, { dateStyle: "short", timeStyle: "medium" })}
          </button>
        </td>
        <td className="px-3 py-2 font-mono text-[13px]">{entry.action}</td>
        <td className="px-3 py-2">
          <span
            className={`rounded px-1.5 py-0.5 text-xs ${entry.outcome === "success" ? "bg-sunken text-muted" : "bg-danger-soft text-danger"}`}
          >
            {t(`settings.audit.outcome.${entry.outcome}`)}
          </span>
        </td>
        <td className="px-3 py-2 break-all">{actorText}</td>
        <td className="px-3 py-2 font-mono text-xs break-all">{entry.target ?? "—"}</td>
      </tr>
      {open ? (
        <tr id={detailsId} className="bg-sunken/50" data-testid="audit-entry-details">
          <td colSpan={5} className="px-3 py-3">
            <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-xs">
              <dt className="text-muted">{t("settings.audit.address")}</dt>
              <dd>{entry.ip ?? "—"}</dd>
              <dt className="text-muted">{t("settings.audit.client")}</dt>
              <dd className="break-all">{entry.userAgent ?? "—"}</dd>
              <dt className="text-muted">{t("settings.audit.key")}</dt>
              <dd className="font-mono">{entry.actorKeyId ?? "—"}</dd>
              <dt className="text-muted">{t("settings.audit.id")}</dt>
              <dd className="font-mono">{entry.id}</dd>
            </dl>
            <pre className="mt-2 overflow-x-auto rounded-md border border-line bg-surface p-2 font-mono text-xs">
              {JSON.stringify(entry.details, null, 2)}
            </pre>
          </td>
        </tr>
      ) : null}
    </>
  )
}
