import { z } from "zod";
import { MailmanError } from "./errors";
import { MailmanHttp, type MailmanConnection, type Query, type RequestOptions } from "./http";
import {
  addressSchema,
  collectionSchema,
  domainSchema,
  listConfigSchema,
  listStylesSchema,
  mailingListSchema,
  memberSchema,
  pendingTokenSchema,
  systemSectionSchema,
  userSchema,
  versionsSchema,
  type Domain,
  type ListConfig,
  type MailingList,
  type MailmanAddress,
  type MailmanUser,
  type Member,
  type MemberField,
  type MemberRole,
  type Page,
  type PendingToken,
} from "./schemas";

export interface PageRequest {
  /** Entries per page, at least 1. */
  count: number;
  /** 1-based page number. */
  page: number;
}

export type SubscribeResult =
  | { kind: "subscribed"; memberId: string }
  | { kind: "pending"; token: string; tokenOwner: string };

export interface SubscribeInput {
  listId: string;
  subscriber: string;
  role?: MemberRole;
  displayName?: string;
  deliveryMode?: string;
  preVerified?: boolean;
  preConfirmed?: boolean;
  preApproved?: boolean;
  invitation?: boolean;
  sendWelcomeMessage?: boolean;
}

const FULL_PAGE = 500;

function lastPathSegment(location: string): string {
  const segment = location.replace(/\/+$/, "").split("/").pop();
  if (!segment) throw new Error(`Unexpected Location header: ${location}`);
  return decodeURIComponent(segment);
}

const enc = encodeURIComponent;

/**
 * The one typed client of a Mailman core's REST API 3.1. Pages and jobs never build REST URLs;
 * they call these methods. Every collection call sends both `count` and `page`.
 */
const totalSchema = z.object({ total_size: z.number().int() });

export class MailmanClient {
  private readonly http: MailmanHttp;

  constructor(connection: MailmanConnection) {
    this.http = new MailmanHttp(connection);
  }

  get baseUrl(): string {
    return this.http.baseUrl;
  }

  // Building blocks. The endpoint groups of later features (lib/mailman/<area>.ts) are written
  // with these, so that every call still goes through one transport, one limiter and one set of
  // checks; app code never calls them with a path of its own.

  /** A raw call, for answers that are neither a resource nor a collection (202 tokens, bulk maps). */
  request<T>(method: string, path: string, options: RequestOptions<T> = {}) {
    return this.http.request<T>(method, path, options);
  }

  async get<T>(path: string, schema: z.ZodType<T>, query?: Query): Promise<T> {
    const response = await this.http.request("GET", path, { schema, query });
    if (response.status !== 200) throw new Error(`Unexpected ${response.status} for GET ${path}`);
    return response.data;
  }

  async getOrNull<T>(path: string, schema: z.ZodType<T>, query?: Query): Promise<T | null> {
    try {
      return await this.get(path, schema, query);
    } catch (error) {
      if (error instanceof MailmanError && error.status === 404) return null;
      throw error;
    }
  }

  async page<T>(path: string, entry: z.ZodType<T>, request: PageRequest, query: Query = {}): Promise<Page<T>> {
    if (!Number.isInteger(request.count) || request.count < 1) throw new RangeError("count must be a positive integer");
    if (!Number.isInteger(request.page) || request.page < 1) throw new RangeError("page must be a positive integer");
    const data = await this.get(path, collectionSchema(entry), { ...query, count: request.count, page: request.page });
    return { start: data.start, total: data.total_size, entries: data.entries as T[] };
  }

  /** Size of a collection without its entries: `count=0&page=1` (mailman-rest.md §1). */
  async total(path: string, query: Query = {}): Promise<number> {
    const data = await this.get(path, totalSchema, { ...query, count: 0, page: 1 });
    return data.total_size;
  }

  async all<T>(path: string, entry: z.ZodType<T>, query: Query = {}, pageSize = FULL_PAGE): Promise<T[]> {
    const out: T[] = [];
    for (let page = 1; ; page++) {
      const result = await this.page(path, entry, { count: pageSize, page }, query);
      out.push(...result.entries);
      if (out.length >= result.total || result.entries.length === 0) return out;
    }
  }

  async create(path: string, body: Record<string, unknown>): Promise<string> {
    const response = await this.http.request("POST", path, { body });
    if (response.status !== 201) throw new Error(`Unexpected ${response.status} for POST ${path}`);
    return response.location;
  }

  /** `idempotent` lets a POST or PATCH be retried after a 5xx or transport error (see http.ts). */
  async send(method: "PATCH" | "PUT" | "DELETE" | "POST", path: string, body?: unknown, options: { idempotent?: boolean } = {}): Promise<void> {
    await this.http.request(method, path, { body, ...options });
  }

  // System -----------------------------------------------------------------------------------

  versions() {
    return this.get("/system/versions", versionsSchema);
  }

  /**
   * The `[mailman]` section of the core's configuration (listname_chars, site_owner …).
   * Only this section is exposed: others hold the REST and database passwords.
   */
  mailmanSettings() {
    return this.get("/system/configuration/mailman", systemSectionSchema);
  }

  // Domains ----------------------------------------------------------------------------------

  listDomains(request: PageRequest): Promise<Page<Domain>> {
    return this.page("/domains", domainSchema, request);
  }

  allDomains(): Promise<Domain[]> {
    return this.all("/domains", domainSchema);
  }

  getDomain(mailHost: string): Promise<Domain | null> {
    return this.getOrNull(`/domains/${enc(mailHost)}`, domainSchema);
  }

  async createDomain(input: { mailHost: string; description?: string; aliasDomain?: string }): Promise<void> {
    await this.create("/domains", {
      mail_host: input.mailHost,
      ...(input.description ? { description: input.description } : {}),
      ...(input.aliasDomain ? { alias_domain: input.aliasDomain } : {}),
    });
  }

  updateDomain(mailHost: string, patch: { description?: string; aliasDomain?: string | null }): Promise<void> {
    const body: Record<string, unknown> = {};
    if (patch.description !== undefined) body.description = patch.description;
    if (patch.aliasDomain !== undefined) body.alias_domain = patch.aliasDomain ?? "";
    return this.send("PATCH", `/domains/${enc(mailHost)}`, body);
  }

  /** Deletes the domain and every list in it. */
  deleteDomain(mailHost: string): Promise<void> {
    return this.send("DELETE", `/domains/${enc(mailHost)}`);
  }

  countDomainLists(mailHost: string): Promise<number> {
    return this.total(`/domains/${enc(mailHost)}/lists`);
  }

  domainLists(mailHost: string, request: PageRequest): Promise<Page<MailingList>> {
    return this.page(`/domains/${enc(mailHost)}/lists`, mailingListSchema, request);
  }

  // Lists ------------------------------------------------------------------------------------

  listLists(request: PageRequest, options: { advertised?: boolean } = {}): Promise<Page<MailingList>> {
    return this.page("/lists", mailingListSchema, request, { advertised: options.advertised ? "true" : undefined });
  }

  allLists(options: { advertised?: boolean } = {}): Promise<MailingList[]> {
    return this.all("/lists", mailingListSchema, { advertised: options.advertised ? "true" : undefined }, 1000);
  }

  getList(listId: string): Promise<MailingList | null> {
    return this.getOrNull(`/lists/${enc(listId)}`, mailingListSchema);
  }

  listStyles() {
    return this.get("/lists/styles", listStylesSchema);
  }

  /**
   * Creates a list and returns its list_id. Callers must check `styleName` against
   * `listStyles()` first: an unknown style creates a broken list.
   */
  async createList(input: { fqdnListname: string; styleName?: string }): Promise<string> {
    const location = await this.create("/lists", {
      fqdn_listname: input.fqdnListname,
      ...(input.styleName ? { style_name: input.styleName } : {}),
    });
    return lastPathSegment(location);
  }

  deleteList(listId: string): Promise<void> {
    return this.send("DELETE", `/lists/${enc(listId)}`);
  }

  /**
   * Lists on which `subscriber` (an address or a user id) holds `role`. The core answers 404
   * instead of an empty collection and repeats a list once per membership.
   */
  async findLists(subscriber: string, role?: MemberRole): Promise<MailingList[]> {
    let found: MailingList[];
    try {
      found = await this.all("/lists/find", mailingListSchema, { subscriber, role });
    } catch (error) {
      if (error instanceof MailmanError && error.status === 404) return [];
      throw error;
    }
    const seen = new Set<string>();
    return found.filter((l) => (seen.has(l.list_id) ? false : (seen.add(l.list_id), true)));
  }

  getListConfig(listId: string): Promise<ListConfig> {
    return this.get(`/lists/${enc(listId)}/config`, listConfigSchema);
  }

  patchListConfig(listId: string, patch: Record<string, unknown>): Promise<void> {
    return this.send("PATCH", `/lists/${enc(listId)}/config`, patch);
  }

  // Rosters and members ----------------------------------------------------------------------

  roster(listId: string, role: MemberRole, request: PageRequest, fields?: readonly MemberField[]): Promise<Page<Member>> {
    return this.page(`/lists/${enc(listId)}/roster/${role}`, memberSchema, request, { fields });
  }

  fullRoster(listId: string, role: MemberRole, fields?: readonly MemberField[], pageSize?: number): Promise<Member[]> {
    return this.all(`/lists/${enc(listId)}/roster/${role}`, memberSchema, { fields }, pageSize);
  }

  rosterSize(listId: string, role: MemberRole): Promise<number> {
    return this.total(`/lists/${enc(listId)}/roster/${role}`);
  }

  /** `members/find`: `subscriber` is an address or a `*wildcard*`, never a user id. */
  findMembers(
    criteria: {
      listId?: string;
      subscriber?: string;
      role?: MemberRole;
      moderationAction?: string;
      deliveryMode?: string;
      deliveryStatus?: string;
    },
    request: PageRequest,
    fields?: readonly MemberField[],
  ): Promise<Page<Member>> {
    return this.page("/members/find", memberSchema, request, {
      list_id: criteria.listId,
      subscriber: criteria.subscriber,
      role: criteria.role,
      moderation_action: criteria.moderationAction,
      delivery_mode: criteria.deliveryMode,
      delivery_status: criteria.deliveryStatus,
      fields,
    });
  }

  async subscribe(input: SubscribeInput): Promise<SubscribeResult> {
    const body: Record<string, unknown> = { list_id: input.listId, subscriber: input.subscriber };
    if (input.role) body.role = input.role;
    if (input.displayName) body.display_name = input.displayName;
    if (input.deliveryMode) body.delivery_mode = input.deliveryMode;
    for (const [key, value] of [
      ["pre_verified", input.preVerified],
      ["pre_confirmed", input.preConfirmed],
      ["pre_approved", input.preApproved],
      ["invitation", input.invitation],
      ["send_welcome_message", input.sendWelcomeMessage],
    ] as const) {
      if (value !== undefined) body[key] = value;
    }
    const response = await this.http.request("POST", "/members", { body });
    if (response.status === 201) return { kind: "subscribed", memberId: lastPathSegment(response.location) };
    if (response.status === 202) {
      const pending: PendingToken = pendingTokenSchema.parse(response.data);
      return { kind: "pending", token: pending.token, tokenOwner: pending.token_owner };
    }
    throw new Error(`Unexpected ${response.status} for POST /members`);
  }

  deleteMember(memberId: string): Promise<void> {
    return this.send("DELETE", `/members/${enc(memberId)}`);
  }

  // Users and addresses (read) ---------------------------------------------------------------

  /** A user by id or by any of their addresses; the password hash is dropped by the schema. */
  getUser(idOrEmail: string): Promise<MailmanUser | null> {
    return this.getOrNull(`/users/${enc(idOrEmail)}`, userSchema);
  }

  userAddresses(userId: string): Promise<MailmanAddress[]> {
    return this.all(`/users/${enc(userId)}/addresses`, addressSchema);
  }

  getAddress(email: string): Promise<MailmanAddress | null> {
    return this.getOrNull(`/addresses/${enc(email)}`, addressSchema);
  }
}
