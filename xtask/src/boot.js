// Runs on every page. Pages arrive pre-rendered and readable; this script remembers the
// page's language, starts the browser code the page names, and sets up offline use.

// The language of the page the person reads is the one `/` sends them to next time: the
// server reads the cookie before any script runs; the worker reads it offline.
const lang = document.documentElement.lang;
if (['kk', 'ru', 'en'].includes(lang)) {
  document.cookie = `qonys-lang=${lang}; Path=/; Max-Age=31536000; SameSite=Lax`;
}

// A page that needs browser code names its bundle: the checker, sign-in and vacancy
// search, or the signed-in areas. Its WebAssembly, preloaded by the page, is
// compiled as it streams in; the app takes its part of the page over only once the
// pre-rendered page has been painted, so what the person sees first never waits for it.
const BUNDLES = {
  app: ['./__APP_JS__', '/__APP_WASM__'],
  account: ['./__ACCOUNT_JS__', '/__ACCOUNT_WASM__'],
  portal: ['./__PORTAL_JS__', '/__PORTAL_WASM__'],
};
const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
const loaded = document.readyState === 'complete'
  ? Promise.resolve()
  : new Promise((resolve) => addEventListener('load', resolve, { once: true }));
const painted = loaded.then(frame).then(frame);
const bundle = BUNDLES[document.body.dataset.bundle];
const started = bundle
  ? Promise.all([import(bundle[0]), painted])
    .then(([{ default: init }]) => init({ module_or_path: bundle[1] }))
    // The page's interactive parts are the app's from here on (a hook for tests, too).
    .then(() => { document.body.dataset.started = 'true'; })
  : Promise.resolve();

// Offline use: the service worker (/sw.js) keeps this build's pages, app and rules. It is
// registered once the page has loaded, so it never delays the app. When a new version
// takes over a page that an older one served, the page says so: it still shows the old
// version until reloaded.
const UPDATE_NOTICE = {
  kk: ['Порталдың және оның ережелерінің жаңа нұсқасы шықты.', 'Қайта жүктеу'],
  ru: ['Доступна новая версия портала и его правил.', 'Перезагрузить'],
  en: ['A new version of the portal and its rules is available.', 'Reload'],
};

if ('serviceWorker' in navigator) {
  const workers = navigator.serviceWorker;
  let controlled = Boolean(workers.controller);
  workers.addEventListener('controllerchange', () => {
    // The first worker taking over a page it did not serve is no update.
    if (controlled) started.then(showUpdateNotice, showUpdateNotice);
    controlled = Boolean(workers.controller);
  });
  const register = () => {
    workers.register('/sw.js').catch((error) => {
      // Offline, the update check of an installed worker fails: nothing to report then.
      if (!workers.controller) console.warn('offline use is not available:', error);
    });
  };
  if (document.readyState === 'complete') register();
  else addEventListener('load', register, { once: true });
}

// A notice above the page (in the flow, so it covers nothing), in the page's language.
// Shown once the app has started, so the checker's take-over does not hide it.
function showUpdateNotice() {
  if (document.getElementById('update-notice')) return;
  const [text, action] = UPDATE_NOTICE[document.documentElement.lang] ?? UPDATE_NOTICE.kk;
  const notice = document.createElement('div');
  notice.id = 'update-notice';
  notice.className = 'update-notice';
  notice.setAttribute('role', 'status');
  const row = document.createElement('div');
  row.className = 'wrap update-notice-row';
  const message = document.createElement('p');
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'button';
  button.addEventListener('click', () => location.reload());
  row.append(message, button);
  notice.append(row);
  document.body.prepend(notice);
  // Filled in once the live region is in the document, so screen readers announce it.
  setTimeout(() => {
    message.textContent = text;
    button.textContent = action;
  }, 50);
}
