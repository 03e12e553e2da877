// Tailwind 4 runs as a PostCSS plugin; it scans the app's sources itself and needs no config file.
export default { plugins: { "@tailwindcss/postcss": {} } };
