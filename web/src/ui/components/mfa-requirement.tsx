"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../api.ts";
import { useOrgId } from "../hooks.ts";
import { Button } from "./controls.tsx";
import { ErrorBox, Loading } from "./feedback.tsx";

/** `GET /orgs/{orgId}/mfa-requirement`. */
interface MfaRequirement {
  required: boolean;
  membersWithoutMfa: number;
}

/**
 * Whether every member must have a second factor. Owners change it; the API refuses (and this
 * shows why) until the owner has a factor, and asks for a recent step-up in place.
 */
export function MfaRequirementSetting() {
  const orgId = useOrgId();
  const queryClient = useQueryClient();
  const queryKey = ["org", orgId, "mfa-requirement"];
  const requirement = useQuery({
    queryKey,
    queryFn: () => api<MfaRequirement>(`/orgs/${orgId}/mfa-requirement`),
  });
  const change = useMutation({
    mutationFn: (required: boolean) =>
      api<MfaRequirement>(`/orgs/${orgId}/mfa-requirement`, {
        method: "PUT",
        body: { required },
      }),
    onSuccess: (data) => queryClient.setQueryData(queryKey, data),
  });

  if (requirement.isPending) return <Loading what="the MFA requirement" />;
  if (!requirement.data) return <ErrorBox error={requirement.error} />;
  const { required, membersWithoutMfa } = requirement.data;
  return (
    <div className="flex flex-col gap-3 text-sm">
      <p role="status">
        {required
          ? "Every member must have a second factor."
          : "Members may sign in without a second factor."}{" "}
        {membersWithoutMfa === 1
          ? "1 member has none yet"
          : `${membersWithoutMfa} members have none yet`}
        {required && membersWithoutMfa > 0 ? " and can only reach their own account." : "."}
      </p>
      <ErrorBox error={change.error} />
      <div>
        <Button
          tone={required ? "secondary" : "primary"}
          disabled={change.isPending}
          onClick={() => change.mutate(!required)}
        >
          {required ? "Stop requiring MFA" : "Require MFA for every member"}
        </Button>
      </div>
    </div>
  );
}
