// Styles for the coordinator and review pages: the account pages' forms plus a few of their own,
// and Leaflet's (the registration form's map pin).
import leafletStylesHref from "leaflet/dist/leaflet.css";
import { accountLinks } from "~/accounts/ui";
import resourceStylesHref from "./resources.css";

export const resourceLinks = () => [
  ...accountLinks(),
  { rel: "stylesheet", href: leafletStylesHref },
  { rel: "stylesheet", href: resourceStylesHref },
];
