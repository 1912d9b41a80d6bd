// Styles for the coordinator and review pages: the account pages' forms plus a few of their own.
import { accountLinks } from "~/accounts/ui";
import resourceStylesHref from "./resources.css";

export const resourceLinks = () => [...accountLinks(), { rel: "stylesheet", href: resourceStylesHref }];
