import Markdown, { type Components } from "react-markdown";

// Links open as plain links with no referrer and no opener; only web and mail links are kept.
const components: Components = {
  a: ({ href, children }) =>
    href && /^(https?:|mailto:)/i.test(href) ? (
      <a href={href} rel="nofollow noopener noreferrer" className="text-indigo-700 underline">
        {children}
      </a>
    ) : (
      <span>{children}</span>
    ),
  img: ({ alt }) => <span className="italic text-slate-500">[image: {alt}]</span>,
};

/**
 * Markdown written by list owners (`info`). react-markdown builds React elements and drops raw
 * HTML (no rehype-raw), so nothing in the text can run as script or inject markup; images are not
 * loaded, so the page makes no request to addresses chosen by the text.
 */
export function SafeMarkdown({ text }: { text: string }) {
  return (
    <div className="space-y-3 text-sm leading-6 text-slate-800 [&_h1]:text-lg [&_h1]:font-semibold [&_h2]:font-semibold [&_li]:ml-5 [&_ol]:list-decimal [&_ul]:list-disc [&_code]:rounded [&_code]:bg-slate-100 [&_code]:px-1">
      <Markdown skipHtml components={components}>
        {text}
      </Markdown>
    </div>
  );
}
