/** Texts of the settings added with the account routes: display name, open invitations, audit range, default model. */
export const settingsGapsEn = {
  "settings.gaps.nameHint": "Shown to your team: members, comments, the audit log.",
  "settings.gaps.nameSave": "Save name",
  "settings.gaps.nameSaved": "Name saved.",
  "settings.gaps.pendingTitle": "Open invitations",
  "settings.gaps.pendingBody":
    "Invitations not yet accepted and not expired. Their links are shown only when created; revoke one to make its link stop working.",
  "settings.gaps.pendingNone": "No open invitations.",
  "settings.gaps.pendingLine": "As {role} · valid until {date} · invited by {inviter}",
  "settings.gaps.inviterUnknown": "someone no longer here",
  "settings.gaps.revoke": "Revoke",
  "settings.gaps.revokeFor": "Revoke the invitation for {email}",
  "settings.gaps.revokeConfirm": "Revoke the invitation for {email}",
  "settings.gaps.auditFrom": "From (day)",
  "settings.gaps.auditTo": "To (day, included)",
  "settings.gaps.auditRangeOrder": "The first day comes after the last one. Swap them or clear one.",
  "settings.gaps.defaultModelSaved": "Saved to your account: new sessions start with it in every browser.",
} as const
