/**
 * Every writable list setting of Mailman core 3.3.8 (console.md §3.1), grouped in the nine
 * sections list admins know from Postorius. Pure data: the settings form (browser) and the save
 * path (server) read the same catalogue, so a field is validated the same way in both places.
 * Enum values are those of mailman-rest.md Appendix A; `offered` narrows what the UI lets an owner
 * choose where the core accepts values that do harm or that no console offers.
 */

export type FieldKind =
  | "bool"
  | "enum"
  | "int"
  | "decimal"
  | "duration"
  | "text"
  /** Single-line text: the core refuses a newline ("This value must be a single line"). */
  | "line"
  | "textarea"
  | "email"
  | "lines";

/** How each line of a `lines` field is checked before sending. */
export type LinesRule = "address-or-regex" | "mime-type" | "extension";

export interface EnumOption {
  value: string;
  label: string;
}

export interface SettingField {
  key: string;
  label: string;
  help?: string;
  kind: FieldKind;
  /** Every value the core accepts (Appendix A); used to validate. */
  options?: EnumOption[];
  /** The values the UI offers; defaults to all of `options`. A current value outside is shown, never offered. */
  offered?: string[];
  lines?: LinesRule;
  /** The core stores these lines lower-cased (acceptable_aliases). */
  lowercase?: boolean;
  /** The core may hold `null` here (style `private-default`); shown as "unset (style default)". */
  nullable?: boolean;
  /** Plain-language warning shown in the change summary whenever this key changes. */
  risk?: (to: unknown) => string;
}

export const SECTION_SLUGS = [
  "identity",
  "automatic-responses",
  "alter-messages",
  "dmarc",
  "digest",
  "message-acceptance",
  "archiving",
  "member-policy",
  "bounce-processing",
] as const;
export type SectionSlug = (typeof SECTION_SLUGS)[number];

export interface SettingSection {
  slug: SectionSlug;
  title: string;
  description: string;
  fields: SettingField[];
}

export function isSectionSlug(value: string): value is SectionSlug {
  return (SECTION_SLUGS as readonly string[]).includes(value);
}

const opts = (pairs: [string, string][]): EnumOption[] => pairs.map(([value, label]) => ({ value, label }));

const RESPONSE_ACTIONS = opts([
  ["none", "Don't respond"],
  ["respond_and_continue", "Send the automatic response and process the message as usual"],
  ["respond_and_discard", "Send the automatic response and discard the message"],
]);

// Mailman's Action enum. `defer` here is Postorius' "Default processing": the moderation rule
// lets the post through to the other rules. It is safe for these two defaults (unlike header
// filters, where `defer` shunts every post, Q-2) and it is the core's default for members.
const MODERATION_ACTIONS = opts([
  ["hold", "Hold for moderation"],
  ["reject", "Reject (with a notice to the sender)"],
  ["discard", "Discard (no notice)"],
  ["accept", "Accept immediately (bypass other rules)"],
  ["defer", "Default processing (let the other rules decide)"],
]);

const SUBSCRIPTION_POLICIES = opts([
  ["open", "Open: anyone may join or leave at once"],
  ["confirm", "Confirm: the person confirms by e-mail"],
  ["moderate", "Moderate: a moderator must approve"],
  ["confirm_then_moderate", "Confirm by e-mail, then a moderator approves"],
]);

/**
 * The 39 languages Postorius offers; the core refuses any it has not enabled. Offered for a
 * list's preferred language and for a member's (member-forms.tsx).
 */
export const LANGUAGES = opts([
  ["ar", "Arabic"],
  ["ast", "Asturian"],
  ["bg", "Bulgarian"],
  ["ca", "Catalan"],
  ["zh_CN", "Chinese (China)"],
  ["zh_TW", "Chinese (Taiwan)"],
  ["hr", "Croatian"],
  ["cs", "Czech"],
  ["da", "Danish"],
  ["nl", "Dutch"],
  ["en", "English (USA)"],
  ["et", "Estonian"],
  ["eu", "Euskara"],
  ["fi", "Finnish"],
  ["fr", "French"],
  ["gl", "Galician"],
  ["de", "German"],
  ["el", "Greek"],
  ["he", "Hebrew"],
  ["hu", "Hungarian"],
  ["ia", "Interlingua"],
  ["it", "Italian"],
  ["ja", "Japanese"],
  ["ko", "Korean"],
  ["lt", "Lithuanian"],
  ["no", "Norwegian"],
  ["pl", "Polish"],
  ["pt", "Portuguese"],
  ["pt_BR", "Portuguese (Brazil)"],
  ["ro", "Romanian"],
  ["ru", "Russian"],
  ["sr", "Serbian"],
  ["sk", "Slovak"],
  ["sl", "Slovenian"],
  ["es", "Spanish"],
  ["sv", "Swedish"],
  ["tr", "Turkish"],
  ["uk", "Ukrainian"],
  ["vi", "Vietnamese"],
]);

const bool = (key: string, label: string, help?: string, extra: Partial<SettingField> = {}): SettingField => ({ key, label, help, kind: "bool", ...extra });
const int = (key: string, label: string, help?: string): SettingField => ({ key, label, help, kind: "int" });
const textarea = (key: string, label: string, help?: string): SettingField => ({ key, label, help, kind: "textarea" });
const duration = (key: string, label: string, help: string): SettingField => ({ key, label, help: `${help} Write a duration such as 90d, 2w, 12h or 1d12h.`, kind: "duration" });
const nonmemberLines = (key: string, label: string, help: string): SettingField => ({
  key,
  label,
  help: `${help} One per line: an e-mail address, or a regular expression starting with ^.`,
  kind: "lines",
  lines: "address-or-regex",
});

export const SECTIONS: SettingSection[] = [
  {
    slug: "identity",
    title: "List identity",
    description: "How the list presents itself: names, descriptions, language and newsgroup gateway.",
    fields: [
      { key: "display_name", label: "Display name", help: "The list's name as people see it in messages and pages.", kind: "line" },
      { key: "description", label: "Short description", help: "One line, shown in the list index and in message headers.", kind: "line" },
      { key: "info", label: "Long description", help: "Shown on the list's summary page; Markdown is allowed.", kind: "textarea" },
      { key: "subject_prefix", label: "Subject prefix", help: "Put in front of every message's subject, e.g. \"[Alpha] \" (keep the trailing space).", kind: "line" },
      bool("advertised", "Show the list in the list index", "Unadvertised lists are seen only by their members, moderators, owners and superusers."),
      { key: "preferred_language", label: "Preferred language", help: "Language of the list's notices. The server must have the language enabled.", kind: "enum", options: LANGUAGES },
      {
        key: "member_roster_visibility",
        label: "Who may see the member list",
        help: "Stored by the core but not enforced by Mailman 3.3.8.",
        kind: "enum",
        options: opts([
          ["moderators", "Only moderators and owners"],
          ["members", "Members of the list"],
          ["public", "Anyone"],
        ]),
      },
      bool("gateway_to_mail", "Gateway newsgroup posts to the list", "Posts to the linked newsgroup are sent to the list (NNTP)."),
      bool("gateway_to_news", "Gateway list posts to the newsgroup", "Posts to the list are sent to the linked newsgroup (NNTP)."),
      { key: "linked_newsgroup", label: "Linked newsgroup", help: "Name of the Usenet newsgroup the list is gatewayed with.", kind: "line" },
      {
        key: "newsgroup_moderation",
        label: "Newsgroup moderation",
        kind: "enum",
        options: opts([
          ["none", "Not moderated"],
          ["open_moderated", "Open list, moderated newsgroup"],
          ["moderated", "Moderated"],
        ]),
      },
      bool("nntp_prefix_subject_too", "Add the subject prefix to newsgroup posts too"),
    ],
  },
  {
    slug: "automatic-responses",
    title: "Automatic responses",
    description: "Automatic replies and the notices the list sends to members and owners.",
    fields: [
      { key: "autorespond_owner", label: "Automatic response to mail for the owners", help: "For mail sent to the list's -owner address.", kind: "enum", options: RESPONSE_ACTIONS },
      textarea("autoresponse_owner_text", "Text of the response to mail for the owners"),
      { key: "autorespond_postings", label: "Automatic response to posts", kind: "enum", options: RESPONSE_ACTIONS },
      textarea("autoresponse_postings_text", "Text of the response to posts"),
      { key: "autorespond_requests", label: "Automatic response to requests", help: "For mail sent to the list's -request address.", kind: "enum", options: RESPONSE_ACTIONS },
      textarea("autoresponse_request_text", "Text of the response to requests"),
      duration("autoresponse_grace_period", "Automatic response grace period", "A sender gets at most one automatic response in this period."),
      bool("respond_to_post_requests", "Tell senders when their post is held"),
      bool("send_welcome_message", "Send a welcome message to new members", "The text is the list:user:notice:welcome template."),
      bool("send_goodbye_message", "Send a goodbye message to leaving members", "The text is the list:user:notice:goodbye template."),
      bool("admin_immed_notify", "Notify moderators at once of new requests", "Otherwise they only get the daily summary."),
      bool("admin_notify_mchanges", "Notify owners of subscriptions and unsubscriptions"),
    ],
  },
  {
    slug: "alter-messages",
    title: "Alter messages",
    description: "How the list changes messages: personalisation, content filtering, headers and replies.",
    fields: [
      {
        key: "personalize",
        label: "Personalisation",
        kind: "enum",
        options: opts([
          ["none", "None: one copy for everyone"],
          ["individual", "Individual copies, one per member"],
          ["full", "Full: individual copies with To: set to the member"],
        ]),
      },
      bool("filter_content", "Filter message content", "Remove attachments by the types and extensions below."),
      { key: "filter_types", label: "MIME types to remove", help: "One per line, e.g. image/jpeg or just image.", kind: "lines", lines: "mime-type" },
      { key: "filter_extensions", label: "File extensions to remove", help: "One per line, e.g. exe.", kind: "lines", lines: "extension" },
      { key: "pass_types", label: "MIME types to keep", help: "When set, only these types pass. One per line.", kind: "lines", lines: "mime-type" },
      { key: "pass_extensions", label: "File extensions to keep", help: "When set, only these extensions pass. One per line.", kind: "lines", lines: "extension" },
      bool("collapse_alternatives", "Keep only the first part of multipart/alternative messages"),
      {
        key: "filter_action",
        label: "What to do with a message left empty by filtering",
        kind: "enum",
        // The core also accepts hold, accept and defer (verified 204, Q-12) but no console offers them.
        options: opts([
          ["discard", "Discard it"],
          ["reject", "Reject it with a notice to the sender"],
          ["forward", "Forward it to the list's owners"],
          ["preserve", "Keep a copy for the site administrator"],
          ["hold", "Hold for moderation"],
          ["accept", "Accept"],
          ["defer", "Defer"],
        ]),
        offered: ["discard", "reject", "forward", "preserve"],
      },
      bool("convert_html_to_plaintext", "Convert HTML parts to plain text"),
      bool("anonymous_list", "Anonymous list", "Hide the sender of posts: they appear to come from the list."),
      bool("include_rfc2369_headers", "Add List-… headers (RFC 2369)", "Headers mail programs use for unsubscribe and help links. Leave on."),
      bool("allow_list_posts", "Add the List-Post header", "Off for announce-only lists."),
      {
        key: "reply_goes_to_list",
        label: "Where replies go",
        kind: "enum",
        nullable: true,
        options: opts([
          ["no_munging", "To the sender (leave Reply-To alone)"],
          ["point_to_list", "To the list"],
          ["explicit_header", "To the explicit reply-to address below"],
          ["explicit_header_only", "Only to the explicit reply-to address (the sender's Reply-To is dropped)"],
        ]),
      },
      { key: "reply_to_address", label: "Explicit reply-to address", help: "Used when replies go to an explicit address.", kind: "email", nullable: true },
      bool("first_strip_reply_to", "Remove the sender's Reply-To first", undefined, { nullable: true }),
      {
        key: "posting_pipeline",
        label: "Posting pipeline",
        help: "The chain of handlers posts go through. Change only if you know you need another.",
        kind: "enum",
        options: opts([
          ["default-posting-pipeline", "Default posting pipeline"],
          ["default-owner-pipeline", "Owner pipeline"],
          ["virgin", "Virgin (no changes to messages)"],
        ]),
      },
    ],
  },
  {
    slug: "dmarc",
    title: "DMARC mitigations",
    description: "What to do with posts from domains whose DMARC policy would make the list's copies bounce.",
    fields: [
      {
        key: "dmarc_mitigate_action",
        label: "DMARC mitigation",
        kind: "enum",
        options: opts([
          ["no_mitigation", "No mitigation"],
          ["munge_from", "Replace the From: address with the list's"],
          ["wrap_message", "Wrap the message in one from the list"],
          ["reject", "Reject the post"],
          ["discard", "Discard the post silently"],
        ]),
        risk: (to) =>
          to === "reject" || to === "discard"
            ? "Posts from senders whose domain publishes a strict DMARC policy will no longer reach the list."
            : "Changes how posts from senders with strict DMARC policies (e.g. large mail providers) are delivered; copies may bounce at members' servers.",
      },
      bool("dmarc_mitigate_unconditionally", "Apply the mitigation to every post", "Not only to senders whose domain has a strict DMARC policy."),
      textarea("dmarc_moderation_notice", "Notice sent when a post is rejected for DMARC"),
      textarea("dmarc_wrapped_message_text", "Text added to wrapped messages"),
    ],
  },
  {
    slug: "digest",
    title: "Digest",
    description: "Collections of posts sent to members who chose digest delivery.",
    fields: [
      bool("digests_enabled", "Members may choose digests"),
      bool("digest_send_periodic", "Send digests periodically", "Even when the size threshold has not been reached."),
      {
        key: "digest_volume_frequency",
        label: "Start a new volume",
        kind: "enum",
        options: opts([
          ["daily", "Every day"],
          ["weekly", "Every week"],
          ["monthly", "Every month"],
          ["quarterly", "Every quarter"],
          ["yearly", "Every year"],
        ]),
      },
      { key: "digest_size_threshold", label: "Digest size threshold (KB)", help: "A digest is sent when it reaches this size.", kind: "decimal" },
    ],
  },
  {
    slug: "message-acceptance",
    title: "Message acceptance",
    description: "Who may post and what is held, rejected or discarded.",
    fields: [
      bool("emergency", "Emergency moderation", "Holds every post for moderation, from members too.", {
        risk: (to) => (to === true ? "Every post will be held for a moderator, including members' posts. Nothing reaches the list until someone approves it." : "Posts will flow to the list again without being held."),
      }),
      {
        key: "default_member_action",
        label: "Default action for members' posts",
        help: "Applies to members without a moderation setting of their own.",
        kind: "enum",
        options: MODERATION_ACTIONS,
        risk: (to) => `Posts from members will be handled as "${labelOf(MODERATION_ACTIONS, to)}".${to === "reject" || to === "discard" ? " Members will no longer be able to post." : ""}`,
      },
      {
        key: "default_nonmember_action",
        label: "Default action for non-members' posts",
        help: "Applies to senders who are not members and are not in the lists below.",
        kind: "enum",
        options: MODERATION_ACTIONS,
        risk: (to) => `Posts from non-members will be handled as "${labelOf(MODERATION_ACTIONS, to)}".${to === "accept" || to === "defer" ? " Anyone, including spammers, may then reach the list." : ""}`,
      },
      nonmemberLines("accept_these_nonmembers", "Non-members whose posts are accepted", "Posts from these senders go to the list."),
      nonmemberLines("hold_these_nonmembers", "Non-members whose posts are held", "Posts from these senders wait for a moderator."),
      nonmemberLines("reject_these_nonmembers", "Non-members whose posts are rejected", "Posts from these senders are returned with a notice."),
      nonmemberLines("discard_these_nonmembers", "Non-members whose posts are discarded", "Posts from these senders are dropped silently."),
      { ...nonmemberLines("acceptable_aliases", "Acceptable aliases", "Other addresses of the list that count as an explicit destination."), lowercase: true },
      bool("require_explicit_destination", "Hold posts that do not name the list in To: or Cc:"),
      bool("administrivia", "Hold posts that look like requests (e.g. \"unsubscribe\")"),
      int("max_message_size", "Maximum message size (KB)", "Larger posts are held. 0 means no limit."),
      int("max_num_recipients", "Maximum number of recipients", "Posts with more explicit recipients are held. 0 means no limit."),
      int("max_days_to_hold", "Days to keep held messages", "Stored by the core but not acted on by Mailman 3.3.8. 0 means forever."),
    ],
  },
  {
    slug: "archiving",
    title: "Archiving",
    description: "Whether and where posts are archived.",
    fields: [
      {
        key: "archive_policy",
        label: "Archive policy",
        kind: "enum",
        options: opts([
          ["public", "Public: anyone may read the archives"],
          ["private", "Private: only members may read the archives"],
          ["never", "Don't archive"],
        ]),
        risk: (to) =>
          to === "public"
            ? "Every post, past and future, becomes readable by anyone on the web."
            : to === "never"
              ? "New posts will no longer be archived."
              : "Only members will be able to read the archives.",
      },
      {
        key: "archive_rendering_mode",
        label: "Archive rendering",
        help: "How HyperKitty shows posts.",
        kind: "enum",
        options: opts([
          ["text", "Plain text"],
          ["markdown", "Markdown"],
        ]),
      },
    ],
  },
  {
    slug: "member-policy",
    title: "Member policy",
    description: "How people join and leave the list.",
    fields: [
      {
        key: "subscription_policy",
        label: "Joining",
        kind: "enum",
        options: SUBSCRIPTION_POLICIES,
        risk: (to) =>
          to === "open"
            ? "Anyone will be able to join at once, without confirming their address: others can then be subscribed against their will."
            : `Joining will work like this: ${labelOf(SUBSCRIPTION_POLICIES, to)}.`,
      },
      { key: "unsubscription_policy", label: "Leaving", kind: "enum", options: SUBSCRIPTION_POLICIES },
    ],
  },
  {
    slug: "bounce-processing",
    title: "Bounce processing",
    description: "What happens when members' addresses bounce.",
    fields: [
      bool("process_bounces", "Process bounces", "Count bounces and disable delivery to addresses that keep bouncing."),
      int("bounce_score_threshold", "Bounce score threshold", "Delivery is disabled when a member's bounce score reaches this."),
      duration("bounce_info_stale_after", "Forget bounce information after", "A member's bounce score is reset after this long without bounces."),
      int("bounce_you_are_disabled_warnings", "Warnings before removal", "Notices sent to a disabled member before removal. 0 removes them at once."),
      duration("bounce_you_are_disabled_warnings_interval", "Time between warnings", "Time between two of those notices."),
      bool("bounce_notify_owner_on_bounce_increment", "Notify owners when a bounce score increases"),
      bool("bounce_notify_owner_on_disable", "Notify owners when delivery to a member is disabled"),
      bool("bounce_notify_owner_on_removal", "Notify owners when a member is removed for bouncing"),
      {
        key: "forward_unrecognized_bounces_to",
        label: "Bounces that cannot be understood",
        kind: "enum",
        options: opts([
          ["administrators", "Forward to the list's owners and moderators"],
          ["site_owner", "Forward to the site owner"],
          ["discard", "Discard them"],
        ]),
      },
    ],
  },
];

export function labelOf(options: EnumOption[], value: unknown): string {
  return options.find((o) => o.value === value)?.label ?? String(value);
}

export function getSection(slug: SectionSlug): SettingSection {
  const section = SECTIONS.find((s) => s.slug === slug);
  if (!section) throw new Error(`Unknown settings section ${slug}`);
  return section;
}

/** All writable config keys this console edits (74 + `moderator_password`, which is write-only). */
export const ALL_FIELDS: SettingField[] = SECTIONS.flatMap((s) => s.fields);
export const FIELD_BY_KEY: ReadonlyMap<string, SettingField> = new Map(ALL_FIELDS.map((f) => [f.key, f]));

/** Archivers are not config keys (`/lists/{id}/archivers`); in the form they are `archiver:<name>`. */
export const ARCHIVER_PREFIX = "archiver:";

export function archiverField(name: string): SettingField {
  return { key: `${ARCHIVER_PREFIX}${name}`, label: `Archive with ${name}`, kind: "bool" };
}

/** The fields of one section, with the archivers the server has enabled for the Archiving one. */
export function sectionFields(slug: SectionSlug, archivers: readonly string[] = []): SettingField[] {
  const fields = getSection(slug).fields;
  return slug === "archiving" ? [...fields, ...archivers.map(archiverField)] : fields;
}

/** Values offered in a select: the allowed ones narrowed by `offered`. */
export function offeredOptions(field: SettingField): EnumOption[] {
  const all = field.options ?? [];
  return field.offered ? all.filter((o) => field.offered!.includes(o.value)) : all;
}
