// @ts-check
// The paper desk (templates/paper.html): scans go in at the top, and the cards they found
// wait below for a scribe to type them.
import { pageData } from "../core/common.js";
import { setUpScans } from "./scan-upload.js";
import { nextCard, setUpQueue } from "./transcribe.js";

const DATA = pageData();
const CODE = DATA.workshop.code;

setUpQueue(CODE);
setUpScans(CODE, () => nextCard(CODE));
