export default function Index() {
  return <h1>地域資源ポータル</h1>;
}
