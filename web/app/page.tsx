export default function Home() {
  return <main>Ringfence console</main>;
}
