/**
 * The 28 template names of Mailman core 3.3 (mailman/interfaces/template.py ALL_TEMPLATES), grouped
 * and explained, each with the built-in English text the core falls back to when no URI is set
 * (mailman/templates/en/*.txt; both footers fall back to list:member:generic:footer.txt).
 * Generated once from the Debian mailman3 package; the core, not this file, stays authoritative.
 */

export type TemplateScope = "list" | "domain" | "site";

export interface TemplateInfo {
  name: string;
  label: string;
  description: string;
  group: TemplateGroupKey;
  /** The core's built-in text (English). */
  defaultText: string;
  /** Variables this template gets from the core besides the list's own (message-specific). */
  messageVariables: string[];
}

export type TemplateGroupKey = "decoration" | "member" | "admin" | "domain";

export interface TemplateGroup {
  key: TemplateGroupKey;
  title: string;
  description: string;
}

export const TEMPLATE_GROUPS: TemplateGroup[] = [
  {
    "key": "decoration",
    "title": "Headers and footers",
    "description": "Added to every message the list distributes, and to digests."
  },
  {
    "key": "member",
    "title": "Messages to subscribers",
    "description": "Sent to the person who subscribes, posts or bounces."
  },
  {
    "key": "admin",
    "title": "Messages to owners and moderators",
    "description": "Notices and requests the list's owners and moderators receive."
  },
  {
    "key": "domain",
    "title": "Domain notices",
    "description": "Only at domain or site level: a list has no say in them."
  }
];

export const TEMPLATES: TemplateInfo[] = [
  {
    "name": "list:member:regular:header",
    "label": "Header of posts",
    "description": "Text added above every message delivered to regular (non-digest) members. Empty by default.",
    "group": "decoration",
    "defaultText": "",
    "messageVariables": []
  },
  {
    "name": "list:member:regular:footer",
    "label": "Footer of posts",
    "description": "Text added below every message delivered to regular members: usually how to unsubscribe.",
    "group": "decoration",
    "defaultText": "_______________________________________________\n$display_name mailing list -- $listname\nTo unsubscribe send an email to ${short_listname}-leave@${domain}\n",
    "messageVariables": []
  },
  {
    "name": "list:member:digest:masthead",
    "label": "Digest masthead",
    "description": "The first part of every digest: how to post, subscribe and reach the owners.",
    "group": "decoration",
    "defaultText": "Send $display_name mailing list submissions to\n\t$listname\n\nTo subscribe or unsubscribe via email, send a message with subject or body\n'help' to\n\t$request_email\n\nYou can reach the person managing the list at\n\t$owner_email\n\nWhen replying, please edit your Subject line so it is more specific than\n\"Re: Contents of $display_name digest...\"\n",
    "messageVariables": []
  },
  {
    "name": "list:member:digest:header",
    "label": "Digest header",
    "description": "Text after the masthead of every digest. Empty by default.",
    "group": "decoration",
    "defaultText": "",
    "messageVariables": []
  },
  {
    "name": "list:member:digest:footer",
    "label": "Digest footer",
    "description": "Text at the end of every digest.",
    "group": "decoration",
    "defaultText": "_______________________________________________\n$display_name mailing list -- $listname\nTo unsubscribe send an email to ${short_listname}-leave@${domain}\n",
    "messageVariables": []
  },
  {
    "name": "list:user:notice:welcome",
    "label": "Welcome message",
    "description": "Sent to a new member when the subscription takes effect (if welcome messages are enabled).",
    "group": "member",
    "defaultText": "Welcome to the \"$display_name\" mailing list!\n\nTo post to this list, send your message to:\n\n  $listname\n\nYou can unsubscribe or make adjustments to your options via email by sending\na message to:\n\n  $request_email\n\nwith the word 'help' in the subject or body (don't include the quotes), and\nyou will get back a message with instructions.  You will need your password to\nchange your options, but for security purposes, this password is not included\nhere.  If you have forgotten your password you will need to reset it via the\nweb UI.\n",
    "messageVariables": []
  },
  {
    "name": "list:user:notice:goodbye",
    "label": "Goodbye message",
    "description": "Sent to a member who leaves the list. Empty by default (no goodbye message).",
    "group": "member",
    "defaultText": "",
    "messageVariables": []
  },
  {
    "name": "list:user:action:subscribe",
    "label": "Confirm subscription",
    "description": "Asks a new subscriber to confirm their address before the subscription proceeds. Must keep $token.",
    "group": "member",
    "defaultText": "Email Address Registration Confirmation\n\nHello, this is the GNU Mailman server at $domain.\n\nWe have received a registration request for the email address\n\n    $user_email\n\nBefore you can start using GNU Mailman at this site, you must first confirm\nthat this is your email address.  You can do this by replying to this message.\n\nOr you should include the following line -- and only the following\nline -- in a message to $request_email:\n\n    confirm $token\n\nNote that simply sending a `reply' to this message should work from\nmost mail readers.\n\nIf you do not wish to register this email address, simply disregard this\nmessage.  If you think you are being maliciously subscribed to the list, or\nhave any other questions, you may contact\n\n    $owner_email\n",
    "messageVariables": [
      "user_email",
      "token"
    ]
  },
  {
    "name": "list:user:action:unsubscribe",
    "label": "Confirm unsubscription",
    "description": "Asks a member to confirm that they want to leave. Must keep $token.",
    "group": "member",
    "defaultText": "Email Address Unsubscription Confirmation\n\nHello, this is the GNU Mailman server at $domain.\n\nWe have received an unsubscription request for the email address\n\n    $user_email\n\nBefore GNU Mailman can unsubscribe you, you must first confirm your request.\nYou can do this by simply replying to this message.\n\nOr you should include the following line -- and only the following\nline -- in a message to $request_email:\n\n    confirm $token\n\nNote that simply sending a `reply' to this message should work from\nmost mail readers.\n\nIf you do not wish to unsubscribe this email address, simply disregard this\nmessage.  If you think you are being maliciously unsubscribed from the list,\nor have any other questions, you may contact\n\n    $owner_email\n",
    "messageVariables": [
      "user_email",
      "token"
    ]
  },
  {
    "name": "list:user:action:invite",
    "label": "Invitation",
    "description": "Sent when an owner invites an address to join. Must keep $token.",
    "group": "member",
    "defaultText": "Your address \"$user_email\" has been invited to join the $short_listname\nmailing list at $domain by the $short_listname mailing list owner.\nYou may accept the invitation by simply replying to this message.\n\nOr you should include the following line -- and only the following\nline -- in a message to $request_email:\n\n    confirm $token\n\nNote that simply sending a `reply' to this message should work from\nmost mail readers.\n\nIf you want to decline this invitation, please simply disregard this\nmessage.  If you have any questions, please send them to\n$owner_email.\n",
    "messageVariables": [
      "user_email",
      "token"
    ]
  },
  {
    "name": "list:user:notice:hold",
    "label": "Post held",
    "description": "Tells a poster that their message waits for a moderator.",
    "group": "member",
    "defaultText": "Your mail to '$listname' with the subject\n\n    $subject\n\nIs being held until the list moderator can review it for approval.\n\nThe message is being held because:\n\n$reasons\n\nEither the message will get posted to the list, or you will receive\nnotification of the moderator's decision.\n",
    "messageVariables": [
      "subject",
      "reasons"
    ]
  },
  {
    "name": "list:user:notice:post",
    "label": "Post acknowledgement",
    "description": "Confirms to a poster that their message was received (for members who asked for acknowledgements).",
    "group": "member",
    "defaultText": "Your message entitled\n\n    $subject\n\nwas successfully received by the $display_name mailing list.\n",
    "messageVariables": [
      "subject"
    ]
  },
  {
    "name": "list:user:notice:refuse",
    "label": "Request rejected by a moderator",
    "description": "Tells a poster or subscriber that a moderator rejected their request, with the moderator's reason.",
    "group": "member",
    "defaultText": "Your request to the $listname mailing list\n\n    $request\n\nhas been rejected by the list moderator.  The moderator gave the\nfollowing reason for rejecting your request:\n\n\"$reason\"\n\nAny questions or comments should be directed to the list administrator\nat:\n\n    $owner_email\n",
    "messageVariables": [
      "request",
      "reason"
    ]
  },
  {
    "name": "list:user:notice:rejected",
    "label": "Post rejected automatically",
    "description": "Tells a poster that the list's rules rejected their message.",
    "group": "member",
    "defaultText": "Your message to the $listname mailing-list was rejected for the following\nreasons:\n\n$reasons\n\nThe original message as received by Mailman is attached.\n",
    "messageVariables": [
      "reasons"
    ]
  },
  {
    "name": "list:user:notice:no-more-today",
    "label": "Auto-response limit reached",
    "description": "Sent once a sender has had the day's maximum of automatic responses.",
    "group": "member",
    "defaultText": "We have received a message from your address <$sender_email> requesting an\nautomated response from the $listname mailing list.\n\nThe number we have seen today: $count.  In order to avoid problems such as\nmail loops between email robots, we will not be sending you any further\nresponses today.  Please try again tomorrow.\n\nIf you believe this message is in error, or if you have any questions, please\ncontact the list owner at $owner_email.\n",
    "messageVariables": [
      "sender_email",
      "count"
    ]
  },
  {
    "name": "list:user:notice:probe",
    "label": "Bounce probe",
    "description": "Sent to an address that bounces, to check whether it still works.",
    "group": "member",
    "defaultText": "This is a probe message.  You can ignore this message.\n\nThe $listname mailing list has received a number of bounces from you,\nindicating that there may be a problem delivering messages to $sender_email.  A\nsample is attached below.  Please examine this message to make sure there are\nno problems with your email address.  You may want to check with your mail\nadministrator for more help.\n\nYou don't need to do anything to remain an enabled member of the mailing list.\n\nIf you have any questions or problems, you can contact the mailing list owner\nat\n\n    $owner_email\n",
    "messageVariables": [
      "sender_email"
    ]
  },
  {
    "name": "list:user:notice:warning",
    "label": "Delivery disabled",
    "description": "Tells a member that bounces have disabled their delivery.",
    "group": "member",
    "defaultText": "Your subscription has been disabled on the $listname mailing list because it has\nreceived a number of bounces indicating that there may be a problem delivering\nmessages to $sender_email. You may want to check with your mail administrator\nfor more help.\n\nIf you have any questions or problems, you can contact the mailing list owner at\n\n    $owner_email\n",
    "messageVariables": [
      "sender_email"
    ]
  },
  {
    "name": "list:admin:action:post",
    "label": "Post needs approval",
    "description": "Asks the moderators to approve or reject a held post.",
    "group": "admin",
    "defaultText": "As list administrator, your authorization is requested for the\nfollowing mailing list posting:\n\n    List:    $listname\n    From:    $sender_email\n    Subject: $subject\n\nThe message is being held because:\n\n$reasons\n\nAt your convenience, visit your dashboard to approve or deny the\nrequest.\n",
    "messageVariables": [
      "sender_email",
      "subject",
      "reasons"
    ]
  },
  {
    "name": "list:admin:action:subscribe",
    "label": "Subscription needs approval",
    "description": "Asks the moderators to approve a subscription request.",
    "group": "admin",
    "defaultText": "Your authorization is required for a mailing list subscription request\napproval:\n\n    For:  $member\n    List: $listname\n",
    "messageVariables": [
      "member"
    ]
  },
  {
    "name": "list:admin:action:unsubscribe",
    "label": "Unsubscription needs approval",
    "description": "Asks the moderators to approve an unsubscription request.",
    "group": "admin",
    "defaultText": "Your authorization is required for a mailing list unsubscription\nrequest approval:\n\n    For:  $member\n    List: $listname\n",
    "messageVariables": [
      "member"
    ]
  },
  {
    "name": "list:admin:notice:subscribe",
    "label": "Member subscribed",
    "description": "Tells the owners that someone joined (if admin notifications are enabled).",
    "group": "admin",
    "defaultText": "$member has been successfully subscribed to $display_name.\n",
    "messageVariables": [
      "member"
    ]
  },
  {
    "name": "list:admin:notice:unsubscribe",
    "label": "Member unsubscribed",
    "description": "Tells the owners that someone left (if admin notifications are enabled).",
    "group": "admin",
    "defaultText": "$member has been removed from $display_name.\n",
    "messageVariables": [
      "member"
    ]
  },
  {
    "name": "list:admin:notice:pending",
    "label": "Pending requests reminder",
    "description": "The daily digest of waiting moderation requests (sent by `mailman notify`).",
    "group": "admin",
    "defaultText": "The $listname list has $count moderation requests waiting.\n\n$data\nPlease attend to this at your earliest convenience.\n",
    "messageVariables": [
      "count",
      "data"
    ]
  },
  {
    "name": "list:admin:notice:disable",
    "label": "Delivery disabled by bounces",
    "description": "Tells the owners that bounces disabled a member's delivery.",
    "group": "admin",
    "defaultText": "$member's subscription has been disabled on $listname due to their bounce score\nexceeding the mailing list's bounce_score_threshold.\n\nThe triggering DSN if available is attached.\n",
    "messageVariables": [
      "member"
    ]
  },
  {
    "name": "list:admin:notice:increment",
    "label": "Bounce score increased",
    "description": "Tells the owners that a member's bounce score went up.",
    "group": "admin",
    "defaultText": "$member's bounce score on $listname has been incremented.\n\nThe triggering DSN if available is attached.\n",
    "messageVariables": [
      "member"
    ]
  },
  {
    "name": "list:admin:notice:removal",
    "label": "Member removed by bounces",
    "description": "Tells the owners that bounce processing unsubscribed a member.",
    "group": "admin",
    "defaultText": "$member has been unsubscribed from $listname due to excessive bounces.\n",
    "messageVariables": [
      "member"
    ]
  },
  {
    "name": "list:admin:notice:unrecognized",
    "label": "Unrecognised bounce",
    "description": "Forwards to the owners a bounce the core could not understand.",
    "group": "admin",
    "defaultText": "The attached message was received as a bounce, but either the bounce format\nwas not recognized, or no member addresses could be extracted from it.  This\nmailing list has been configured to send all unrecognized bounce messages to\nthe list administrator(s).\n",
    "messageVariables": []
  },
  {
    "name": "domain:admin:notice:new-list",
    "label": "New list created",
    "description": "Sent to the domain's owners when a list is created in the domain.",
    "group": "domain",
    "defaultText": "The mailing list '$listname' has just been created for you.  The\nfollowing is some basic information about your mailing list.\n\nThere is an email-based interface for users (not administrators) of your list;\nyou can get info about using it by sending a message with just the word 'help'\nas subject or in the body, to:\n\n    $request_email\n\nPlease address all questions to $site_email.\n",
    "messageVariables": []
  }
];


export const TEMPLATE_NAMES = TEMPLATES.map((t) => t.name);

const byName = new Map(TEMPLATES.map((t) => [t.name, t]));

export function templateInfo(name: string): TemplateInfo | undefined {
  return byName.get(name);
}

export function isTemplateName(name: string): boolean {
  return byName.has(name);
}

/** A list's URIs accept only `list:*` names; domain and site accept all (console.md §3.3). */
export function templatesForScope(scope: TemplateScope): TemplateInfo[] {
  return scope === "list" ? TEMPLATES.filter((t) => t.name.startsWith("list:")) : TEMPLATES;
}

export function allowedAtScope(name: string, scope: TemplateScope): boolean {
  return isTemplateName(name) && (scope !== "list" || name.startsWith("list:"));
}

/** The variables the core fills in for every template of a list (mailman/utilities/string.py expand). */
export const LIST_VARIABLES: { name: string; description: string }[] = [
  { name: "listname", description: "the posting address, e.g. team@example.org" },
  { name: "display_name", description: "the list's display name" },
  { name: "short_listname", description: "the part before the @" },
  { name: "list_id", description: "the list id, e.g. team.example.org" },
  { name: "domain", description: "the list's mail domain" },
  { name: "description", description: "the list's short description" },
  { name: "info", description: "the list's longer information text" },
  { name: "request_email", description: "the -request address (e-mail commands)" },
  { name: "owner_email", description: "the -owner address" },
  { name: "site_email", description: "the site owner's address" },
  { name: "language", description: "the list's preferred language code" },
];
