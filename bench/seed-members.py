"""Seeds members into a local Mailman core in the form provisioning leaves them, fast.

Run with Debian's interpreter (the core's own Python API, in-process; no REST round trips):
    /usr/bin/python3 bench/seed-members.py MAILMAN_CFG LIST_ID < people.tsv
Each input line is "address<TAB>display name". For each, a core user is created with that
address, the address is verified and made the user's preferred address, and the user is
subscribed to the list as a member (as_user, no welcome message): what P3 + P4 make over REST
(provisioning.md §8.2). Prints "address<TAB>user id (32 hex)" per line. Commits every 500.
"""
import sys

from mailman.core.initialize import initialize

initialize(sys.argv[1])

from mailman.config import config  # noqa: E402
from mailman.interfaces.listmanager import IListManager  # noqa: E402
from mailman.interfaces.member import MemberRole  # noqa: E402
from mailman.interfaces.usermanager import IUserManager  # noqa: E402
from mailman.utilities.datetime import now  # noqa: E402
from zope.component import getUtility  # noqa: E402

users = getUtility(IUserManager)
mlist = getUtility(IListManager).get_by_list_id(sys.argv[2])
if mlist is None:
    sys.exit(f"no list {sys.argv[2]}")

done = 0
out = []
for line in sys.stdin:
    email, name = line.rstrip("\n").split("\t", 1)
    user = users.create_user(email, name)
    address = next(iter(user.addresses))
    address.verified_on = now()
    user.preferred_address = address
    mlist.subscribe(user, MemberRole.member, send_welcome_message=False)
    out.append(f"{email}\t{user.user_id.hex}")
    done += 1
    if done % 500 == 0:
        config.db.commit()
config.db.commit()
print("\n".join(out))
