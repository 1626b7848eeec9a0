import type { ComponentChildren } from 'preact';
import { ROLE_LABELS } from '../../members/roles.ts';
import { ASSETS } from '../assets.ts';
import { CSRF_FIELD } from '../csrf.ts';
import { mayOpen, SECTIONS, type Section } from '../sections.ts';
import type { Shell } from '../shell.ts';

interface PageProps {
  shell: Shell;
  title: string;
  children: ComponentChildren;
}

/**
 * A whole Console page: signed in, the top bar, the navigation and the page in `main`; signed
 * out, the page alone in a card.
 */
export function Page({ shell, title, children }: PageProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        {/* No icon: without this the browser asks for /favicon.ico on every visit. */}
        <link rel="icon" href="data:," />
        <title>{`${title} · invitekit Console`}</title>
        <link rel="stylesheet" href={ASSETS.stylesheet.url} />
        {shell.member && <script src={ASSETS.htmx.url} defer />}
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        {shell.member ? (
          <SignedInFrame shell={shell}>{children}</SignedInFrame>
        ) : (
          <main id="main" class="narrow" tabindex={-1}>
            <div class="card">
              <p class="product">invitekit Console</p>
              <Flash message={shell.flash} />
              {children}
            </div>
          </main>
        )}
      </body>
    </html>
  );
}

function SignedInFrame({ shell, children }: { shell: Shell; children: ComponentChildren }) {
  const member = shell.member;
  if (!member) return null;
  const sections = SECTIONS.filter((s) => mayOpen(member, s, shell.sandbox));
  return (
    <>
      <header class="topbar">
        <div class="brand">
          <span class="product">invitekit</span>
          <span class="client">{member.clientName}</span>
        </div>
        <div class="who">
          <span class="member">{member.name || member.email}</span>
          <span class="role">{ROLE_LABELS[member.role]}</span>
          <form method="post" action="/console/sign-out">
            <input type="hidden" name={CSRF_FIELD} value={shell.csrf} />
            <button type="submit" class="link-button">
              Sign out
            </button>
          </form>
        </div>
      </header>
      <div class="frame">
        {/* One list per screen size; CSS shows one, so assistive technology meets one. */}
        <nav class="nav" aria-label="Console">
          <details class="menu">
            <summary>Menu</summary>
            <NavList sections={sections} current={shell.path} />
          </details>
          <div class="nav-wide">
            <NavList sections={sections} current={shell.path} />
          </div>
        </nav>
        <main id="main" tabindex={-1}>
          <Flash message={shell.flash} />
          {children}
        </main>
      </div>
    </>
  );
}

/** The section a path belongs to: its own page or one below it (an invite under Invites). */
function isCurrent(section: string, path: string): boolean {
  if (section === '/console') return path === '/console' || path.startsWith('/console/invites');
  return path === section || path.startsWith(`${section}/`);
}

function NavList({ sections, current }: { sections: Section[]; current: string }) {
  return (
    <ul>
      {sections.map((s) => (
        <li key={s.path}>
          <a href={s.path} aria-current={isCurrent(s.path, current) ? 'page' : undefined}>
            {s.label}
          </a>
        </li>
      ))}
    </ul>
  );
}

function Flash({ message }: { message: string | null }) {
  return message ? (
    <p class="flash" role="status">
      {message}
    </p>
  ) : null;
}
