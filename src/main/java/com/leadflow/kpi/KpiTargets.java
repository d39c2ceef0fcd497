package com.leadflow.kpi;

import java.util.List;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * Targets of a quarter, for the team or one rep. Ranges are [min, max]; the contact rate is a
 * floor. Shape as in API.md.
 */
public record KpiTargets(@NotNull @Min(0) @Max(1000) Integer callsPerDay,
		@NotNull @DecimalMin("0") @DecimalMax("1") Double contactRate,
		@NotNull @Size(min = 2, max = 2) List<@NotNull @DecimalMin("0") @DecimalMax("1") Double> meetingRate,
		@NotNull @Size(min = 2, max = 2) List<@NotNull @DecimalMin("0") @DecimalMax("100") Double> hearingPerContact,
		@NotNull @Min(1) @Max(3650) Integer touchIntervalDays,
		@NotNull @Size(min = 2, max = 2) List<@NotNull @DecimalMin("0") @DecimalMax("1") Double> opportunityRate) {

}
