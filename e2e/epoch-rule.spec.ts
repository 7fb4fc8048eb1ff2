import { DEMO_RUN, expect, formatCount, lim, test } from "./fixtures";

const countText = (s: { selected: number; scored: number; prompts: number; excluded: { total: number } }) =>
  `${formatCount(s.selected)} of ${formatCount(s.scored)} scored (${formatCount(s.prompts)} prompts, ${formatCount(s.excluded.total)} excluded)`;

test("switching the epoch rule re-scores by visits, as `lim score --epochs visits` does, and the URL keeps it", async ({ page }) => {
  const bySteps = JSON.parse(lim(["score", DEMO_RUN, "--json"]).toString("utf8"));
  const byVisits = JSON.parse(lim(["score", DEMO_RUN, "--epochs", "visits", "--json"]).toString("utf8"));
  expect(byVisits.scored).not.toBe(bySteps.scored);

  await page.goto(`/runs/${DEMO_RUN}`);
  const count = page.getByTestId("selected-count");
  await expect(count).toHaveText(countText(bySteps));
  await expect(page.getByTestId("epoch-rule")).toHaveText("epochs by steps (8 per epoch)");

  await page.getByText(/^Parameters:/).click();
  await page.getByRole("combobox", { name: "Epochs counted by" }).selectOption("visits");
  await page.getByRole("button", { name: "Re-score" }).click();
  await expect(count).toHaveText(countText(byVisits));
  await expect(page).toHaveURL(/epochs=visits/);
  await expect(page.getByTestId("epoch-rule")).toHaveText("epochs by visits");
  await expect(page.getByTestId("epoch-rule-text")).toContainText(`${byVisits.visits.usual} visits reached by 95% of prompts (fewest ${byVisits.visits.fewest}, most ${byVisits.visits.most})`);

  // The link reproduces the rule, and the export follows it.
  await page.reload();
  await expect(count).toHaveText(countText(byVisits));
  await expect(page.getByTestId("export-link")).toHaveAttribute("href", /epochs=visits/);

  await page.getByRole("button", { name: "Reset" }).click();
  await expect(count).toHaveText(countText(bySteps));
  await expect(page).not.toHaveURL(/epochs=/);
});
