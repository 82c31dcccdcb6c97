/**
 * An e-mail address that may wrap only before its "@" (and after dots of the domain when even
 * that does not fit), never in the middle of a word.
 */
export function Address({ email, className }: { email: string; className?: string }) {
  const at = email.lastIndexOf("@");
  if (at <= 0) return <span className={className}>{email}</span>;
  const domain = email.slice(at + 1).split(".");
  return (
    <span className={className} data-address={email}>
      {email.slice(0, at)}
      <wbr />@
      {domain.map((part, i) => (
        <span key={i}>
          {i > 0 ? (
            <>
              <wbr />.
            </>
          ) : null}
          {part}
        </span>
      ))}
    </span>
  );
}
