/**
 * Runs before the first paint (inlined in <head>), so the page never flashes the wrong theme:
 * the stored choice wins, else the operating system's preference.
 */
export const THEME_SCRIPT = `(function(){try{var t=localStorage.getItem("rf-theme");if(t!=="light"&&t!=="dark"){t=matchMedia("(prefers-color-scheme: dark)").matches?"dark":"light"}document.documentElement.dataset.theme=t}catch(e){document.documentElement.dataset.theme="light"}})();`;
